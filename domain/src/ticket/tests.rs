use super::*;
use proptest::prelude::*;
use Status::*;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn ctx() -> TransitionContext {
    TransitionContext {
        now: t("2026-12-30T10:00:00-06:00"),
        reopen_deadline: Some(t("2027-01-01T00:00:00-06:00")),
    }
}

fn late() -> TransitionContext {
    TransitionContext {
        now: t("2027-01-01T00:00:00-06:00"),
        reopen_deadline: Some(t("2027-01-01T00:00:00-06:00")),
    }
}

#[test]
fn status_strings() {
    for s in Status::ALL {
        assert_eq!(s.as_str().parse::<Status>().unwrap(), s);
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            format!("\"{}\"", s.as_str())
        );
        assert!(!s.label(Lang::Es).is_empty());
    }
    assert_eq!(
        "bogus".parse::<Status>().unwrap_err().code,
        "invalid_status"
    );
    assert_eq!(
        WaitingThirdParty.is_paused(),
        Some(PauseReason::WaitingThirdParty)
    );
    assert_eq!(
        AwaitingAuthorization.is_paused(),
        Some(PauseReason::WaitingClient)
    );
    assert!(Open.is_open() && New.is_open() && !Resolved.is_open() && !Closed.is_open());
    for a in Action::ALL {
        assert_eq!(a.as_str().parse::<Action>(), Ok(a));
    }
}

#[test]
fn happy_path() {
    let c = ctx();
    let mut s = New;
    for (action, actor, want) in [
        (Action::Take, Actor::Agent, Open),
        (
            Action::RequestAuthorization,
            Actor::Agent,
            AwaitingAuthorization,
        ),
        (Action::Authorize, Actor::Client, Open),
        (Action::WaitThirdParty, Actor::Admin, WaitingThirdParty),
        (Action::Resume, Actor::Agent, Open),
        (Action::AskClient, Actor::Agent, WaitingClient),
        (Action::ClientReply, Actor::Client, Open),
        (Action::Resolve, Actor::Agent, Resolved),
        (Action::ClientConfirm, Actor::Client, Closed),
        (Action::Reopen, Actor::Client, Open),
    ] {
        s = apply(s, action, actor, &c).unwrap_or_else(|e| panic!("{action:?} from {s:?}: {e}"));
        assert_eq!(s, want);
    }
}

#[test]
fn staff_reply_takes_new_ticket() {
    assert_eq!(
        apply(New, Action::StaffReply, Actor::Agent, &ctx()),
        Ok(Open)
    );
    assert_eq!(
        apply(WaitingRelease, Action::StaffReply, Actor::Agent, &ctx()),
        Ok(WaitingRelease)
    );
    assert_eq!(
        apply(Closed, Action::StaffReply, Actor::Agent, &ctx())
            .unwrap_err()
            .code(),
        "ticket_closed"
    );
}

#[test]
fn only_staff_moves_to_waiting_statuses() {
    for a in [
        Action::WaitThirdParty,
        Action::WaitRelease,
        Action::AskClient,
        Action::RequestAuthorization,
        Action::Resolve,
    ] {
        let e = apply(Open, a, Actor::Client, &ctx()).unwrap_err();
        assert_eq!(e.code(), "forbidden_actor");
        assert_eq!(e.http_status(), 403);
        assert_eq!(
            apply(Open, a, Actor::Sweep, &ctx()).unwrap_err().code(),
            "forbidden_actor"
        );
    }
    assert_eq!(
        apply(Open, Action::WaitRelease, Actor::Agent, &ctx()),
        Ok(WaitingRelease)
    );
    assert_eq!(
        apply(Resolved, Action::WaitRelease, Actor::Agent, &ctx())
            .unwrap_err()
            .code(),
        "invalid_transition"
    );
}

#[test]
fn only_sweep_auto_closes() {
    for actor in [Actor::Client, Actor::Agent, Actor::Admin] {
        assert_eq!(
            apply(Resolved, Action::AutoClose, actor, &ctx())
                .unwrap_err()
                .code(),
            "forbidden_actor"
        );
    }
    assert_eq!(
        apply(Resolved, Action::AutoClose, Actor::Sweep, &ctx()),
        Ok(Closed)
    );
    assert_eq!(
        apply(WaitingClient, Action::AutoClose, Actor::Sweep, &ctx()),
        Ok(Resolved)
    );
    let e = apply(Open, Action::AutoClose, Actor::Sweep, &ctx()).unwrap_err();
    assert_eq!(
        e,
        TransitionError::InvalidTransition {
            from: Open,
            action: Action::AutoClose
        }
    );
    assert_eq!(e.http_status(), 409);
    assert_eq!(
        apply(Closed, Action::Close, Actor::Sweep, &ctx())
            .unwrap_err()
            .code(),
        "forbidden_actor"
    );
}

#[test]
fn warranty_window() {
    // inside
    assert_eq!(
        apply(Resolved, Action::Reopen, Actor::Client, &ctx()),
        Ok(Open)
    );
    assert_eq!(
        apply(Closed, Action::Reopen, Actor::Client, &ctx()),
        Ok(Open)
    );
    // exactly at the deadline: late
    let e = apply(Closed, Action::Reopen, Actor::Client, &late()).unwrap_err();
    assert_eq!(e.code(), "warranty_expired");
    assert!(e.message(Lang::Es).contains("5 días hábiles"));
    assert!(e.message(Lang::En).contains("5 working days"));
    // a reply on a resolved ticket reopens it only inside the window
    assert_eq!(
        apply(Resolved, Action::ClientReply, Actor::Client, &ctx()),
        Ok(Open)
    );
    assert_eq!(
        apply(Resolved, Action::ClientReply, Actor::Client, &late())
            .unwrap_err()
            .code(),
        "warranty_expired"
    );
    assert_eq!(
        apply(Closed, Action::ClientReply, Actor::Client, &ctx())
            .unwrap_err()
            .code(),
        "ticket_closed"
    );
    // no window at all
    let none = TransitionContext {
        now: ctx().now,
        reopen_deadline: None,
    };
    assert_eq!(
        apply(Closed, Action::Reopen, Actor::Client, &none)
            .unwrap_err()
            .code(),
        "warranty_expired"
    );
    // staff may always reopen
    assert_eq!(
        apply(Closed, Action::Reopen, Actor::Agent, &late()),
        Ok(Open)
    );
    // reopening an open ticket is invalid
    assert_eq!(
        apply(Open, Action::Reopen, Actor::Client, &ctx())
            .unwrap_err()
            .code(),
        "invalid_transition"
    );
}

#[test]
fn client_actions() {
    assert_eq!(
        apply(WaitingClient, Action::ClientReply, Actor::Client, &ctx()),
        Ok(Open)
    );
    assert_eq!(
        apply(
            WaitingThirdParty,
            Action::ClientReply,
            Actor::Client,
            &ctx()
        ),
        Ok(WaitingThirdParty)
    );
    assert_eq!(
        apply(Open, Action::Authorize, Actor::Client, &ctx())
            .unwrap_err()
            .code(),
        "invalid_transition"
    );
    assert_eq!(
        apply(
            AwaitingAuthorization,
            Action::Authorize,
            Actor::Agent,
            &ctx()
        )
        .unwrap_err()
        .code(),
        "forbidden_actor"
    );
    assert_eq!(
        apply(Open, Action::ClientConfirm, Actor::Client, &ctx())
            .unwrap_err()
            .code(),
        "invalid_transition"
    );
    assert_eq!(
        apply(Open, Action::Close, Actor::Client, &ctx())
            .unwrap_err()
            .code(),
        "forbidden_actor"
    );
    assert_eq!(
        apply(Open, Action::ClientReply, Actor::Agent, &ctx())
            .unwrap_err()
            .code(),
        "forbidden_actor"
    );
}

#[test]
fn for_target_mapping() {
    assert_eq!(Action::for_target(New, Open), Some(Action::Take));
    assert_eq!(
        Action::for_target(WaitingClient, Open),
        Some(Action::Resume)
    );
    assert_eq!(Action::for_target(Closed, Open), Some(Action::Reopen));
    assert_eq!(Action::for_target(Open, New), None);
    for from in Status::ALL {
        for to in Status::ALL {
            if let Some(a) = Action::for_target(from, to) {
                if let Ok(got) = apply(from, a, Actor::Agent, &ctx()) {
                    assert_eq!(got, to, "{from:?} → {to:?} via {a:?}");
                }
            }
        }
    }
}

#[test]
fn error_messages_bilingual() {
    let errs = [
        TransitionError::InvalidTransition {
            from: Closed,
            action: Action::Resolve,
        },
        TransitionError::ForbiddenActor {
            actor: Actor::Client,
            action: Action::Close,
        },
        TransitionError::WarrantyExpired { deadline: None },
        TransitionError::TicketClosed,
    ];
    for e in errs {
        assert!(!e.message_es().is_empty() && !e.message_en().is_empty());
        assert_ne!(e.message_es(), e.message_en());
        assert!(!e.to_string().is_empty());
    }
    assert!(errs[0].message_es().contains("Cerrado"));
}

// ----- reference model -----------------------------------------------------

/// Independent encoding of the rules: (from, action, to) for every allowed
/// transition, with the actors that may perform it. Clients reopen subject to
/// the warranty, checked separately.
fn reference(from: Status, action: Action, actor: Actor, in_window: bool) -> Option<Status> {
    const ACTIVE: [Status; 6] = [
        New,
        Open,
        WaitingClient,
        WaitingThirdParty,
        WaitingRelease,
        AwaitingAuthorization,
    ];
    let staff = actor == Actor::Agent || actor == Actor::Admin;
    let client = actor == Actor::Client;
    let sweep = actor == Actor::Sweep;
    match action {
        Action::Take if staff && from == New => Some(Open),
        Action::StaffReply if staff && from == New => Some(Open),
        Action::StaffReply if staff && from != Closed => Some(from),
        Action::ClientReply if client && from == WaitingClient => Some(Open),
        Action::ClientReply if client && from == Resolved && in_window => Some(Open),
        Action::ClientReply if client && ACTIVE.contains(&from) => Some(from),
        Action::AskClient if staff && ACTIVE.contains(&from) => Some(WaitingClient),
        Action::WaitThirdParty if staff && ACTIVE.contains(&from) => Some(WaitingThirdParty),
        Action::WaitRelease if staff && ACTIVE.contains(&from) => Some(WaitingRelease),
        Action::RequestAuthorization if staff && ACTIVE.contains(&from) => {
            Some(AwaitingAuthorization)
        }
        Action::Resolve if staff && ACTIVE.contains(&from) => Some(Resolved),
        Action::Authorize if client && from == AwaitingAuthorization => Some(Open),
        Action::Resume
            if staff
                && [
                    WaitingClient,
                    WaitingThirdParty,
                    WaitingRelease,
                    AwaitingAuthorization,
                ]
                .contains(&from) =>
        {
            Some(Open)
        }
        Action::Close if staff && from != Closed => Some(Closed),
        Action::ClientConfirm if client && from == Resolved => Some(Closed),
        Action::Reopen
            if (staff || (client && in_window)) && (from == Resolved || from == Closed) =>
        {
            Some(Open)
        }
        Action::AutoClose if sweep && from == WaitingClient => Some(Resolved),
        Action::AutoClose if sweep && from == Resolved => Some(Closed),
        _ => None,
    }
}

fn step() -> impl Strategy<Value = (usize, usize, i64, Option<i64>)> {
    (
        0usize..Action::ALL.len(),
        0usize..4,
        0i64..1_000_000,
        proptest::option::of(0i64..1_000_000),
    )
}

#[test]
fn reference_model_agrees_exhaustively() {
    for from in Status::ALL {
        for action in Action::ALL {
            for actor in Actor::ALL {
                for c in [ctx(), late()] {
                    let in_window = c.now < c.reopen_deadline.unwrap();
                    assert_eq!(
                        apply(from, action, actor, &c).ok(),
                        reference(from, action, actor, in_window),
                        "{from:?} {action:?} {actor:?} window={in_window}"
                    );
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Random action sequences: the implementation follows the reference model,
    /// and no step ever breaks a rule of the SPEC.
    #[test]
    fn random_sequences_never_break_rules(steps in proptest::collection::vec(step(), 1..60)) {
        let base = t("2026-01-01T00:00:00Z");
        let mut status = New;
        let mut model = New;
        for (a, who, now, deadline) in steps {
            let action = Action::ALL[a];
            let actor = Actor::ALL[who];
            let c = TransitionContext {
                now: base + chrono::Duration::seconds(now),
                reopen_deadline: deadline.map(|d| base + chrono::Duration::seconds(d)),
            };
            let in_window = c.reopen_deadline.is_some_and(|d| c.now < d);
            let result = apply(status, action, actor, &c);
            let expected = reference(model, action, actor, in_window);
            prop_assert_eq!(result.ok(), expected);
            match result {
                Ok(next) => {
                    // nothing ever goes back to `new`
                    prop_assert!(next != New || status == New);
                    // the sweep only auto-closes, along the two P17 edges
                    if actor == Actor::Sweep {
                        prop_assert!(matches!((status, next), (WaitingClient, Resolved) | (Resolved, Closed)));
                    }
                    // clients never put a ticket into a waiting status
                    if actor == Actor::Client && next != status {
                        prop_assert!(matches!(next, Open | Closed));
                    }
                    // a closed ticket only leaves `closed` by reopening
                    if status == Closed {
                        prop_assert_eq!(action, Action::Reopen);
                        prop_assert_eq!(next, Open);
                    }
                    // client reopening always inside the window
                    if actor == Actor::Client && !status.is_open() && next.is_open() {
                        prop_assert!(in_window);
                    }
                    // authorization only from awaiting_authorization
                    if action == Action::Authorize {
                        prop_assert_eq!(status, AwaitingAuthorization);
                    }
                    // resolved never jumps straight to a waiting status
                    if status == Resolved {
                        prop_assert!(matches!(next, Open | Closed | Resolved));
                    }
                    status = next;
                    model = next;
                }
                Err(e) => {
                    prop_assert_eq!(e.code() == "forbidden_actor", !action.allowed_to(actor));
                    if e.code() == "warranty_expired" {
                        prop_assert!(actor == Actor::Client && !in_window);
                    }
                }
            }
        }
    }
}

#[test]
fn status_lists_for_sql_come_from_the_rules() {
    assert_eq!(
        Status::sql_list(&Status::FINISHED),
        "('resolved', 'closed')"
    );
    assert_eq!(Status::sql_list(&Status::LINE), "('new', 'open')");
    for st in Status::ALL {
        assert_eq!(st.is_open(), !Status::FINISHED.contains(&st));
        assert!(
            !st.in_line() || st.is_open(),
            "the line holds open tickets only"
        );
    }
}
