//! Which commands a caller may perform on a ticket right now. One rule, used by the API
//! (to refuse) and by the SPA (to show buttons): the two cannot diverge.
use serde::{Deserialize, Serialize};

use super::{apply, Action, Actor, Status, TransitionContext, TransitionError};

/// A command on one ticket, as offered to a caller.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// Staff: assign the ticket to oneself.
    Take,
    /// Staff: assign to another staff member, or unassign.
    Assign,
    WaitThirdParty,
    WaitRelease,
    /// Staff: back to work from a wait (client, third party, release, authorization).
    Resume,
    Resolve,
    Close,
    /// Staff: close with a referral because the request is not support (P10).
    OutOfScope,
    /// Staff: merge this ticket into another as its duplicate (P12).
    Merge,
    /// Public reply (client or staff).
    Reply,
    /// Staff: internal note.
    Note,
    /// Client: the solution works (P16). Staff: —.
    Confirm,
    /// Client within the warranty (P18); staff at any time.
    Reopen,
}

impl Command {
    pub const ALL: [Command; 13] = [
        Command::Take,
        Command::Assign,
        Command::WaitThirdParty,
        Command::WaitRelease,
        Command::Resume,
        Command::Resolve,
        Command::Close,
        Command::OutOfScope,
        Command::Merge,
        Command::Reply,
        Command::Note,
        Command::Confirm,
        Command::Reopen,
    ];

    /// The status a staff status change for this command targets (`POST …/status`).
    pub fn target_status(self) -> Option<Status> {
        Some(match self {
            Command::WaitThirdParty => Status::WaitingThirdParty,
            Command::WaitRelease => Status::WaitingRelease,
            Command::Resume | Command::Reopen => Status::Open,
            Command::Resolve => Status::Resolved,
            Command::Close => Status::Closed,
            _ => return None,
        })
    }
}

/// What the decision depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandContext {
    pub status: Status,
    pub actor: Actor,
    /// The ticket is assigned to the caller.
    pub assigned_to_caller: bool,
    pub transition: TransitionContext,
}

/// Whether `command` is possible now; the error says why not (403 actor, 409 state).
pub fn check(ctx: &CommandContext, command: Command) -> Result<(), TransitionError> {
    let CommandContext { status, actor, .. } = *ctx;
    let via = |action: Action| apply(status, action, actor, &ctx.transition).map(|_| ());
    let staff_only = |action: Action| {
        if actor.is_staff() {
            Ok(())
        } else {
            Err(TransitionError::ForbiddenActor { actor, action })
        }
    };
    let while_open = |action: Action| {
        staff_only(action)?;
        if status.is_open() {
            Ok(())
        } else {
            Err(TransitionError::InvalidTransition {
                from: status,
                action,
            })
        }
    };
    // A wait that is already the status is not offered again.
    let change_to = |action: Action, to: Status| {
        via(action)?;
        if status == to {
            Err(TransitionError::InvalidTransition {
                from: status,
                action,
            })
        } else {
            Ok(())
        }
    };
    match command {
        Command::Take => {
            while_open(Action::Take)?;
            if ctx.assigned_to_caller {
                Err(TransitionError::InvalidTransition {
                    from: status,
                    action: Action::Take,
                })
            } else {
                Ok(())
            }
        }
        Command::Assign => while_open(Action::Take),
        Command::WaitThirdParty => change_to(Action::WaitThirdParty, Status::WaitingThirdParty),
        Command::WaitRelease => change_to(Action::WaitRelease, Status::WaitingRelease),
        Command::Resume => via(Action::Resume),
        Command::Resolve => via(Action::Resolve),
        Command::Close => via(Action::Close),
        Command::OutOfScope | Command::Merge => {
            staff_only(Action::Close)?;
            via(Action::Close)
        }
        Command::Reply if actor.is_staff() => via(Action::StaffReply),
        Command::Reply => via(Action::ClientReply),
        // Internal notes keep the record, even on a closed ticket.
        Command::Note => staff_only(Action::StaffReply),
        Command::Confirm => via(Action::ClientConfirm),
        Command::Reopen => via(Action::Reopen),
    }
}

/// Every command `check` allows now, in `Command::ALL` order.
pub fn allowed_actions(ctx: &CommandContext) -> Vec<Command> {
    Command::ALL
        .into_iter()
        .filter(|c| check(ctx, *c).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    fn ctx(status: Status, actor: Actor, mine: bool, warranty_open: bool) -> CommandContext {
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 17, 0, 0).unwrap();
        CommandContext {
            status,
            actor,
            assigned_to_caller: mine,
            transition: TransitionContext {
                now,
                reopen_deadline: Some(if warranty_open {
                    now + chrono::Duration::days(1)
                } else {
                    now - chrono::Duration::days(1)
                }),
            },
        }
    }

    #[test]
    fn resume_is_offered_from_awaiting_authorization() {
        let a = allowed_actions(&ctx(
            Status::AwaitingAuthorization,
            Actor::Agent,
            true,
            true,
        ));
        assert!(a.contains(&Command::Resume));
    }

    #[test]
    fn take_and_assign_only_while_open() {
        for st in [Status::Resolved, Status::Closed] {
            let a = allowed_actions(&ctx(st, Actor::Agent, false, true));
            assert!(
                !a.contains(&Command::Take) && !a.contains(&Command::Assign),
                "{st:?}"
            );
            assert!(a.contains(&Command::Reopen));
        }
        let a = allowed_actions(&ctx(Status::New, Actor::Agent, false, true));
        assert!(a.contains(&Command::Take));
        let a = allowed_actions(&ctx(Status::Open, Actor::Agent, true, true));
        assert!(!a.contains(&Command::Take) && a.contains(&Command::Assign));
    }

    #[test]
    fn clients_get_client_commands_only() {
        let a = allowed_actions(&ctx(Status::Resolved, Actor::Client, false, true));
        assert_eq!(a, vec![Command::Reply, Command::Confirm, Command::Reopen]);
        let a = allowed_actions(&ctx(Status::Resolved, Actor::Client, false, false));
        assert_eq!(
            a,
            vec![Command::Confirm],
            "after the warranty: no reply, no reopening"
        );
        let a = allowed_actions(&ctx(Status::Closed, Actor::Client, false, false));
        assert!(a.is_empty());
        let a = allowed_actions(&ctx(Status::WaitingClient, Actor::Client, false, true));
        assert_eq!(a, vec![Command::Reply]);
    }

    #[test]
    fn a_wait_is_not_offered_twice() {
        let a = allowed_actions(&ctx(Status::WaitingThirdParty, Actor::Admin, true, true));
        assert!(!a.contains(&Command::WaitThirdParty));
        assert!(a.contains(&Command::WaitRelease) && a.contains(&Command::Resume));
    }

    fn any_status() -> impl Strategy<Value = Status> {
        proptest::sample::select(Status::ALL.to_vec())
    }
    fn any_actor() -> impl Strategy<Value = Actor> {
        proptest::sample::select(vec![Actor::Client, Actor::Agent, Actor::Admin])
    }

    proptest! {
        /// Every offered status change is one `apply` accepts, to the status it names.
        #[test]
        fn offered_status_changes_are_valid_transitions(
            st in any_status(), actor in any_actor(), mine: bool, open: bool
        ) {
            let c = ctx(st, actor, mine, open);
            for cmd in allowed_actions(&c) {
                if let Some(to) = cmd.target_status() {
                    let action = Action::for_target(st, to).expect("a staff action");
                    if actor.is_staff() {
                        prop_assert_eq!(apply(st, action, actor, &c.transition), Ok(to));
                    }
                }
            }
        }

        /// Nothing is offered on a closed ticket but reopening and notes (staff).
        #[test]
        fn closed_offers_only_reopen(actor in any_actor(), mine: bool, open: bool) {
            let a = allowed_actions(&ctx(Status::Closed, actor, mine, open));
            prop_assert!(a.iter().all(|c| matches!(c, Command::Reopen | Command::Note)));
        }
    }
}
