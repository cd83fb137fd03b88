//! Who may see a ticket (P1, P5): staff see every ticket; a client sees the tickets of
//! their own company, or only the ones they opened when the company asks for that.
use crate::api::Role;

/// The caller, as far as visibility is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer<'a> {
    pub role: Role,
    pub user_id: &'a str,
    pub company_id: Option<&'a str>,
}

/// The ticket, as far as visibility is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visibility<'a> {
    pub company_id: &'a str,
    pub requester_id: &'a str,
    /// The company's "each client sees only their own tickets".
    pub company_only_own: bool,
}

/// May `viewer` see the ticket? (Anonymous callers never reach this: they are 401.)
pub fn visible_to(viewer: Viewer<'_>, ticket: Visibility<'_>) -> bool {
    if viewer.role.is_staff() {
        return true;
    }
    viewer.company_id == Some(ticket.company_id)
        && (!ticket.company_only_own || ticket.requester_id == viewer.user_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Visibility = Visibility {
        company_id: "gamma",
        requester_id: "gabriela",
        company_only_own: true,
    };

    #[test]
    fn clients_see_their_company_or_only_their_own() {
        let client = |user_id, company_id| Viewer {
            role: Role::Client,
            user_id,
            company_id,
        };
        assert!(visible_to(client("gabriela", Some("gamma")), T));
        assert!(!visible_to(client("gustavo", Some("gamma")), T));
        let shared = Visibility {
            company_only_own: false,
            ..T
        };
        assert!(visible_to(client("gustavo", Some("gamma")), shared));
        assert!(!visible_to(client("beto", Some("beta")), shared));
        assert!(!visible_to(client("gabriela", None), shared));
    }

    #[test]
    fn staff_see_everything() {
        for role in [Role::Agent, Role::Admin] {
            let v = Viewer {
                role,
                user_id: "x",
                company_id: None,
            };
            assert!(visible_to(v, T));
        }
    }
}
