//! Who may see a ticket (P1, P5): staff see every ticket; a client sees the tickets of
//! their own company, or only the ones they opened when the company asks for that.
use crate::api::Role;
use crate::validation::FieldError;

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

/// May `duplicate` be merged into `survivor` (P12)? A merge moves the duplicate's
/// description, messages and files into the survivor, so everyone who can see the survivor
/// must already be able to see the duplicate: same company, and, where each client sees only
/// their own tickets, the same requester. The refusal names the field `into` (422).
pub fn merge_allowed(
    duplicate: Visibility<'_>,
    survivor: Visibility<'_>,
) -> Result<(), FieldError> {
    if duplicate.company_id != survivor.company_id {
        return Err(FieldError::new(
            "into",
            "different_company",
            "Solo se unen tickets de la misma empresa.",
            "Only tickets of the same company can be merged.",
        ));
    }
    let own_only = duplicate.company_only_own || survivor.company_only_own;
    if own_only && duplicate.requester_id != survivor.requester_id {
        return Err(FieldError::new(
            "into",
            "different_requester",
            "En esta empresa cada cliente ve solo sus propios tickets: unirlos mostraría \
             la conversación de una persona a otra. Une solo tickets del mismo solicitante.",
            "In this company each client sees only their own tickets: merging would show \
             one person's conversation to another. Merge only tickets of the same requester.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn merge_across_requesters_refused_where_clients_see_only_their_own() {
        let gustavo = Visibility {
            requester_id: "gustavo",
            ..T
        };
        let e = merge_allowed(T, gustavo).unwrap_err();
        assert_eq!((e.field, e.code), ("into", "different_requester"));
        assert!(merge_allowed(T, T).is_ok());
        let shared = |v: Visibility<'static>| Visibility {
            company_only_own: false,
            ..v
        };
        assert!(merge_allowed(shared(T), shared(gustavo)).is_ok());
        let other = Visibility {
            company_id: "beta",
            ..shared(T)
        };
        assert_eq!(
            merge_allowed(shared(T), other).unwrap_err().code,
            "different_company"
        );
    }

    proptest! {
        /// Whoever can see the survivor after an allowed merge could already see the duplicate.
        #[test]
        fn an_allowed_merge_shows_nothing_new(
            dc in 0..2usize, dr in 0..3usize, sc in 0..2usize, sr in 0..3usize,
            own in any::<bool>(), vu in 0..4usize, vc in 0..3usize,
        ) {
            let companies = ["gamma", "beta", "alfa"];
            let users = ["gabriela", "gustavo", "beto", "x"];
            let dup = Visibility { company_id: companies[dc], requester_id: users[dr], company_only_own: own };
            let surv = Visibility { company_id: companies[sc], requester_id: users[sr], company_only_own: own };
            let viewer = Viewer {
                role: Role::Client,
                user_id: users[vu],
                company_id: (vc < 2).then(|| companies[vc]),
            };
            if merge_allowed(dup, surv).is_ok() && visible_to(viewer, surv) {
                prop_assert!(visible_to(viewer, dup));
            }
        }
    }

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
