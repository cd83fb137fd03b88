use super::*;
use crate::accounts::SuspensionScope;
use crate::ticket::messages::ReplyKind;
use chrono::{Duration, TimeZone};
use proptest::prelude::*;

fn cal() -> BusinessCalendar {
    BusinessCalendar::default()
}

/// Wednesday 2 Dec 2026, 11:00 in Mexico City (office hours).
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 17, 0, 0).unwrap()
}

fn opened() -> DateTime<Utc> {
    now() - Duration::hours(2)
}

const AGENT: Who<'static> = Who {
    id: "u-agent",
    name: "Agente",
    role: Role::Agent,
    suspension: None,
};
const CLIENT: Who<'static> = Who {
    id: "u-ana",
    name: "Ana",
    role: Role::Client,
    suspension: None,
};

fn snap(status: Status, timeline: &[TimelineEvent]) -> Snapshot<'_> {
    Snapshot {
        id: "t1",
        number: "T-2026-000001",
        status,
        priority: Priority::Medium,
        requester_id: "u-ana",
        assignee_id: Some("u-agent"),
        paused_since: None,
        auto_close_at: None,
        resolved_at: None,
        reopen_until: None,
        timeline,
    }
}

fn client_opened() -> Vec<TimelineEvent> {
    vec![TimelineEvent::ClientMessage { at: opened() }]
}

fn status_event(p: &Plan) -> Option<&NewEvent> {
    p.events.iter().find(|e| e.kind == EventKind::Status)
}

#[test]
fn event_kinds_round_trip() {
    for k in EventKind::ALL {
        assert_eq!(EventKind::parse(k.as_str()), Some(k));
    }
    assert_eq!(EventKind::parse("nope"), None);
}

#[test]
fn a_pause_stops_the_due_time_and_records_its_reason() {
    let tl = client_opened();
    let p = plan_status(
        &snap(Status::Open, &tl),
        &AGENT,
        Status::WaitingThirdParty,
        Some("proveedor".into()),
        &cal(),
        now(),
    )
    .unwrap();
    assert_eq!(p.columns.status, Status::WaitingThirdParty);
    assert_eq!(
        p.columns.paused_reason,
        Some(PauseReason::WaitingThirdParty)
    );
    assert_eq!(p.columns.paused_since, Some(now()));
    assert_eq!(p.columns.due_at, None, "no due time while paused (P9)");
    let e = status_event(&p).unwrap();
    assert_eq!(e.data.reason.as_deref(), Some("proveedor"));
    assert_eq!(e.data.action.as_deref(), Some("wait_third_party"));
    assert!(p.notices.is_empty(), "status changes notify nobody today");
}

#[test]
fn resuming_gives_a_due_time_again() {
    let tl = vec![
        TimelineEvent::ClientMessage { at: opened() },
        TimelineEvent::Paused {
            at: opened() + Duration::hours(1),
            reason: PauseReason::WaitingRelease,
        },
    ];
    let mut s = snap(Status::WaitingRelease, &tl);
    s.paused_since = Some(opened() + Duration::hours(1));
    let p = plan_status(&s, &AGENT, Status::Open, None, &cal(), now()).unwrap();
    assert_eq!(p.action, Some(Action::Resume));
    assert_eq!(
        (p.columns.paused_reason, p.columns.paused_since),
        (None, None)
    );
    let due = p.columns.due_at.expect("running again");
    assert!(due > now());
}

#[test]
fn status_changes_are_staff_only_and_follow_the_state_machine() {
    let tl = client_opened();
    assert_eq!(
        plan_status(
            &snap(Status::Open, &tl),
            &CLIENT,
            Status::Resolved,
            None,
            &cal(),
            now()
        ),
        Err(DomainError::StaffOnly)
    );
    assert!(matches!(
        plan_status(
            &snap(Status::Open, &tl),
            &AGENT,
            Status::New,
            None,
            &cal(),
            now()
        ),
        Err(DomainError::Transition(
            TransitionError::InvalidTransition { .. }
        ))
    ));
    // Resolving starts the auto-close countdown and the warranty (P17, P18).
    let p = plan_status(
        &snap(Status::Open, &tl),
        &AGENT,
        Status::Resolved,
        None,
        &cal(),
        now(),
    )
    .unwrap();
    assert_eq!(p.columns.resolved_at, Some(now()));
    assert!(p.columns.reopen_until.unwrap() > now());
    assert!(p.columns.auto_close_at.unwrap() > now());
    assert_eq!(p.columns.due_at, None);
}

#[test]
fn re_sending_the_wait_restarts_the_countdown() {
    let tl = client_opened();
    let mut s = snap(Status::WaitingClient, &tl);
    s.auto_close_at = Some(opened());
    let p = plan_status(&s, &AGENT, Status::WaitingClient, None, &cal(), now()).unwrap();
    assert!(p.columns.auto_close_at.unwrap() > now());
    assert!(status_event(&p).is_none(), "same status: no status event");
}

#[test]
fn first_public_staff_reply_takes_the_ticket_and_notifies_the_requester() {
    let tl = client_opened();
    let mut s = snap(Status::New, &tl);
    s.assignee_id = None;
    let req = ReplyRequest {
        kind: ReplyKind::Reply,
        internal: false,
    };
    let p = plan_message(&s, &AGENT, "Hola".into(), req, &cal(), now()).unwrap();
    assert_eq!(p.columns.status, Status::Open);
    assert_eq!(
        p.columns.assignee.as_ref().unwrap().as_ref().unwrap().id,
        "u-agent"
    );
    assert_eq!(p.events[0].kind, EventKind::Assigned);
    assert_eq!(
        p.notices,
        vec![Notice::Message {
            message: 0,
            kind: NoticeKind::StaffReply,
            to: "u-ana".into(),
            except: "u-agent".into()
        }]
    );
    // The answer met the target: no running target, no due time.
    assert_eq!(p.columns.due_at, None);
}

#[test]
fn a_client_message_starts_a_target_and_notifies_the_assignee() {
    let tl = vec![
        TimelineEvent::ClientMessage { at: opened() },
        TimelineEvent::StaffReply {
            at: opened() + Duration::minutes(30),
        },
    ];
    let req = ReplyRequest {
        kind: ReplyKind::Reply,
        internal: false,
    };
    let p = plan_message(
        &snap(Status::Open, &tl),
        &CLIENT,
        "Sigue".into(),
        req,
        &cal(),
        now(),
    )
    .unwrap();
    assert!(p.columns.due_at.unwrap() > now());
    assert!(matches!(
        &p.notices[..],
        [Notice::Message { kind: NoticeKind::ClientReply, to, .. }] if to == "u-agent"
    ));
    let note = ReplyRequest {
        kind: ReplyKind::Reply,
        internal: true,
    };
    let n = plan_message(
        &snap(Status::Open, &tl),
        &AGENT,
        "n".into(),
        note,
        &cal(),
        now(),
    )
    .unwrap();
    assert!(n.notices.is_empty(), "notes notify nobody");
}

#[test]
fn suspended_clients_read_but_do_not_write() {
    let s = Suspension {
        scope: SuspensionScope::User,
        reason: "x".into(),
        since: "2026-12-01".into(),
    };
    let who = Who {
        suspension: Some(&s),
        ..CLIENT
    };
    let tl = client_opened();
    let req = ReplyRequest {
        kind: ReplyKind::Reply,
        internal: false,
    };
    assert!(matches!(
        plan_message(
            &snap(Status::Open, &tl),
            &who,
            "b".into(),
            req,
            &cal(),
            now()
        ),
        Err(DomainError::Suspended(_))
    ));
    assert!(matches!(
        plan_reopen(&snap(Status::Resolved, &tl), &who, &cal(), now()),
        Err(DomainError::Suspended(_))
    ));
    // Staff are never refused by a suspension.
    let staff = Who {
        suspension: Some(&s),
        ..AGENT
    };
    assert!(plan_reopen(&snap(Status::Closed, &tl), &staff, &cal(), now()).is_ok());
}

#[test]
fn reopen_and_confirm() {
    let tl = client_opened();
    let mut s = snap(Status::Resolved, &tl);
    s.resolved_at = Some(opened());
    s.reopen_until = Some(now() + Duration::days(2));
    let p = plan_reopen(&s, &CLIENT, &cal(), now()).unwrap();
    assert_eq!(p.columns.status, Status::Open);
    assert_eq!(
        (p.columns.resolved_at, p.columns.reopen_until),
        (None, None)
    );
    assert!(
        p.columns.due_at.unwrap() > now(),
        "a reopened ticket has a new target"
    );
    s.reopen_until = Some(now() - Duration::days(1));
    assert!(matches!(
        plan_reopen(&s, &CLIENT, &cal(), now()),
        Err(DomainError::Transition(
            TransitionError::WarrantyExpired { .. }
        ))
    ));
    let c = plan_close(&s, &CLIENT, &cal(), now()).unwrap();
    assert_eq!(c.action, Some(Action::ClientConfirm));
    assert_eq!(c.columns.status, Status::Closed);
    let c = plan_close(&snap(Status::Open, &tl), &AGENT, &cal(), now()).unwrap();
    assert_eq!(c.action, Some(Action::Close));
}

#[test]
fn assigning() {
    let tl = client_opened();
    let me = UserRef {
        id: "u-agent".into(),
        name: "Agente".into(),
        role: Some("agent".into()),
    };
    let same = plan_assign(
        &snap(Status::Open, &tl),
        &AGENT,
        Some(me.clone()),
        &cal(),
        now(),
    )
    .unwrap();
    assert!(same.is_noop());
    let mut s = snap(Status::New, &tl);
    s.assignee_id = None;
    let take = plan_assign(&s, &AGENT, Some(me.clone()), &cal(), now()).unwrap();
    assert_eq!(take.action, Some(Action::Take));
    assert_eq!(take.columns.status, Status::Open);
    assert_eq!(take.events[0].kind, EventKind::Assigned);
    let un = plan_assign(&snap(Status::Open, &tl), &AGENT, None, &cal(), now()).unwrap();
    assert_eq!(un.columns.assignee, Some(None));
    assert!(un.action.is_none());
    assert!(matches!(
        plan_assign(&snap(Status::Closed, &tl), &AGENT, None, &cal(), now()),
        Err(DomainError::Transition(_))
    ));
    assert_eq!(
        plan_assign(&s, &CLIENT, Some(me), &cal(), now()),
        Err(DomainError::StaffOnly)
    );
}

const AUD: Visibility<'static> = Visibility {
    company_id: "c-alfa",
    requester_id: "u-ana",
    company_only_own: false,
};

fn survivor<'a>(status: Status, tl: &'a [TimelineEvent]) -> Survivor<'a> {
    Survivor {
        id: "t2",
        number: "T-2026-000002",
        status,
        priority: Priority::High,
        audience: AUD,
        timeline: tl,
    }
}

#[test]
fn merge_checks_the_survivor() {
    let tl = client_opened();
    let s = snap(Status::Open, &tl);
    let err = |r: Result<Plan, DomainError>| match r {
        Err(DomainError::Field(f)) => f.code,
        Err(DomainError::Conflict { code, .. }) => code,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        err(plan_merge(&s, AUD, None, &[], &AGENT, &cal(), now())),
        "unknown_ticket"
    );
    let mut same = survivor(Status::Open, &tl);
    same.id = "t1";
    assert_eq!(
        err(plan_merge(&s, AUD, Some(&same), &[], &AGENT, &cal(), now())),
        "same_ticket"
    );
    let mut other = survivor(Status::Open, &tl);
    other.audience.company_id = "c-beta";
    assert_eq!(
        err(plan_merge(
            &s,
            AUD,
            Some(&other),
            &[],
            &AGENT,
            &cal(),
            now()
        )),
        "different_company"
    );
    assert_eq!(
        err(plan_merge(
            &s,
            AUD,
            Some(&survivor(Status::Closed, &tl)),
            &[],
            &AGENT,
            &cal(),
            now()
        )),
        "merge_target_closed"
    );
}

#[test]
fn merge_closes_the_duplicate_and_plans_the_survivor_due_time() {
    let dup_tl = client_opened();
    // The survivor had been answered: no running target until the moved client message.
    let sv_tl = vec![
        TimelineEvent::ClientMessage {
            at: opened() - Duration::hours(5),
        },
        TimelineEvent::StaffReply {
            at: opened() - Duration::hours(4),
        },
    ];
    let sv = survivor(Status::Open, &sv_tl);
    let moved = [(MessageKind::Client, false, opened())];
    let p = plan_merge(
        &snap(Status::Open, &dup_tl),
        AUD,
        Some(&sv),
        &moved,
        &AGENT,
        &cal(),
        now(),
    )
    .unwrap();
    assert_eq!(p.columns.status, Status::Closed);
    assert_eq!(
        p.columns.merged_into.as_ref().unwrap().number,
        "T-2026-000002"
    );
    assert_eq!(p.messages.len(), 2);
    assert_eq!(p.messages[1].ticket.as_deref(), Some("t2"));
    let kinds: Vec<EventKind> = p.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::MergedInto,
            EventKind::MergedFrom,
            EventKind::Status
        ]
    );
    assert_eq!(
        status_event(&p).unwrap().data.reason.as_deref(),
        Some("duplicate")
    );
    let other = p.move_content_to.as_ref().unwrap();
    assert!(
        other.due_at.is_some(),
        "the moved client message runs on the survivor"
    );
    let none = plan_merge(
        &snap(Status::Open, &dup_tl),
        AUD,
        Some(&sv),
        &[],
        &AGENT,
        &cal(),
        now(),
    )
    .unwrap();
    assert_eq!(none.move_content_to.unwrap().due_at, None);
    assert!(p.notices.is_empty(), "system messages notify nobody");
}

#[test]
fn out_of_scope_closes_with_the_referral() {
    let tl = client_opened();
    let p = plan_out_of_scope(
        &snap(Status::New, &tl),
        &AGENT,
        OutOfScope::Training,
        &cal(),
        now(),
    )
    .unwrap();
    assert_eq!(p.columns.status, Status::Closed);
    assert_eq!(p.messages[0].kind, MessageKind::System);
    assert!(p.messages[0]
        .body
        .contains(OutOfScope::Training.referral(Lang::Es)));
    assert_eq!(
        status_event(&p).unwrap().data.reason.as_deref(),
        Some("out_of_scope:training")
    );
    assert!(plan_out_of_scope(
        &snap(Status::Closed, &tl),
        &AGENT,
        OutOfScope::Training,
        &cal(),
        now()
    )
    .is_err());
}

#[test]
fn flags_only_client_messages_once() {
    let tl = client_opened();
    let s = snap(Status::Open, &tl);
    let m = Flagged {
        id: "m1",
        kind: MessageKind::Client,
        flagged: false,
        author: Some("u-ana"),
        author_flags_before: 0,
    };
    let p = plan_flag(&s, &AGENT, m, &cal(), now()).unwrap();
    assert_eq!(p.flag_message.as_deref(), Some("m1"));
    assert_eq!(p.events[0].kind, EventKind::MessageFlagged);
    assert_eq!(p.messages[0].kind, MessageKind::System);
    assert!(p.messages[0].body.contains("Advertencia formal"));
    assert_eq!(
        p.notices,
        vec![Notice::ConductWarning { to: "u-ana".into() }]
    );
    // P27: a later flag of the same person is a reminder in the ticket, not a second notice.
    let later = Flagged {
        author_flags_before: 1,
        ..m
    };
    let p = plan_flag(&s, &AGENT, later, &cal(), now()).unwrap();
    assert!(!p.messages[0].body.contains("Advertencia formal"));
    assert!(p.notices.is_empty());
    let again = plan_flag(&s, &AGENT, Flagged { flagged: true, ..m }, &cal(), now()).unwrap();
    assert!(again.is_noop());
    assert!(matches!(
        plan_flag(&s, &AGENT, Flagged { kind: MessageKind::Reply, ..m }, &cal(), now()),
        Err(DomainError::Field(f)) if f.code == "not_a_client_message"
    ));
}

fn input() -> CreateInput {
    CreateInput {
        subject: "No llega el correo".into(),
        description: "Desde ayer".into(),
        steps: None,
        priority: Priority::Medium,
        category: Category::Incident,
        linked_to: None,
    }
}

const SERVICE: ServiceFacts<'static> = ServiceFacts {
    id: "s1",
    company_id: "c-alfa",
    status: ServiceStatus::Active,
    special_contract: false,
};

const GOOD: Standing = Standing {
    contract_current: true,
    overdue: false,
};

#[test]
fn create_plans_number_due_time_and_confirmation() {
    let p = plan_create(
        &CLIENT,
        Some("c-alfa"),
        Some(SERVICE),
        GOOD,
        &input(),
        &cal(),
        now(),
    )
    .unwrap();
    assert_eq!(p.number_prefix, "T-2026-");
    assert_eq!(p.counter, "ticket:2026");
    assert_eq!(p.coverage, Coverage::Free);
    let due = p.due_at.unwrap();
    assert!(due > now());
    assert_eq!(p.messages[0].kind, MessageKind::Client);
    assert_eq!(p.events[0].kind, EventKind::Created);
    assert_eq!(
        p.notices,
        vec![Notice::Created {
            to: "u-ana".into(),
            target_hours: Priority::Medium.target_hours(),
            due: Some(due)
        }]
    );
}

#[test]
fn create_refusals() {
    let code = |r: Result<CreatePlan, DomainError>| match r {
        Err(DomainError::Field(f)) => (f.field, f.code),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        plan_create(&AGENT, None, Some(SERVICE), GOOD, &input(), &cal(), now()),
        Err(DomainError::ClientsOnly)
    );
    assert_eq!(
        code(plan_create(
            &CLIENT,
            Some("c-beta"),
            Some(SERVICE),
            GOOD,
            &input(),
            &cal(),
            now()
        )),
        ("service_id", "unknown_service")
    );
    let ended = ServiceFacts {
        status: ServiceStatus::Ended,
        ..SERVICE
    };
    let lapsed = Standing {
        contract_current: false,
        overdue: false,
    };
    assert_eq!(
        code(plan_create(
            &CLIENT,
            Some("c-alfa"),
            Some(ended),
            lapsed,
            &input(),
            &cal(),
            now()
        ))
        .0,
        "service_id"
    );
    let paid = CreateInput {
        category: Category::SupportCase,
        priority: Priority::High,
        ..input()
    };
    let overdue = Standing {
        contract_current: true,
        overdue: true,
    };
    assert_eq!(
        code(plan_create(
            &CLIENT,
            Some("c-alfa"),
            Some(SERVICE),
            overdue,
            &paid,
            &cal(),
            now()
        )),
        ("category", "overdue_invoice")
    );
}

fn any_status() -> impl Strategy<Value = Status> {
    proptest::sample::select(Status::ALL.to_vec())
}

proptest! {
    /// Whatever the status change: the pause columns follow the new status, finished and
    /// paused tickets have no due time, and a status event is written iff the status moved.
    #[test]
    fn status_plans_keep_the_columns_consistent(
        from in any_status(), to in any_status(), hours in 0i64..200
    ) {
        let mut tl = vec![TimelineEvent::ClientMessage { at: now() - Duration::hours(hours + 1) }];
        tl.extend(workflow::status_timeline(Status::Open, from, now() - Duration::hours(1)));
        // A consistent snapshot: a paused ticket knows since when.
        let mut s = snap(from, &tl);
        s.paused_since = from.is_paused().map(|_| now() - Duration::hours(1));
        if let Ok(p) = plan_status(&s, &AGENT, to, None, &cal(), now()) {
            prop_assert_eq!(p.columns.status, to);
            prop_assert_eq!(p.columns.paused_reason, to.is_paused());
            prop_assert_eq!(p.columns.paused_since.is_some(), to.is_paused().is_some());
            if to.is_paused().is_some() || !to.is_open() {
                prop_assert_eq!(p.columns.due_at, None);
            }
            prop_assert_eq!(status_event(&p).is_some(), from != to);
            prop_assert_eq!(
                p.columns.auto_close_at.is_some(),
                matches!(to, Status::WaitingClient | Status::Resolved)
            );
        }
    }
}
