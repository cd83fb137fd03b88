//! A `domain::ticket::plan::Plan` as the statements of one guarded batch. Pure (no D1): the
//! change engine binds them; the tests below run natively.
use domain::ticket::plan::{CreatePlan, Plan};
use domain::ticket::Status;

use super::sql::{self, Guard, Mark, NewEvent, NewMessage, Sql, TicketUpdate};
use crate::util::db_time;

/// Who writes: the author of the messages and events.
#[derive(Clone, Copy, Debug)]
pub struct Author<'a> {
    pub id: &'a str,
    /// client | agent | admin
    pub kind: &'a str,
}

/// What the batch must know about the ticket it changes.
#[derive(Clone, Copy, Debug)]
pub struct Target<'a> {
    pub id: &'a str,
    /// The status read with the snapshot: every write is guarded by it.
    pub status: Status,
    /// The timeline's last write when the snapshot was read.
    pub seen: Mark,
}

/// The statements of a change, in batch order: `writes`, then (the caller's notices), then
/// `update` (guarded: changes one row or the status moved under us), `due`, `other_due`.
#[derive(Debug)]
pub struct ChangeBatch {
    /// Content moves, the flag, the message inserts, the event inserts — in that order.
    pub writes: Vec<Sql>,
    /// Index in `writes` of the first message insert (`RETURNING seq`, one per message).
    pub first_message: usize,
    /// Index in `writes` of the first event insert (`RETURNING id`, one per event).
    pub first_event: usize,
    pub update: Sql,
    /// The planned due time, applied only if nobody interleaved.
    pub due: Sql,
    /// The survivor's due time (merge), guarded the same way.
    pub other_due: Option<Sql>,
    /// After the update, guarded by the new status: erasing the credentials of a ticket that
    /// was resolved or closed (P15).
    pub after: Vec<Sql>,
}

/// The survivor of a merge as the batch must know it: its timeline mark and how many of the
/// moved messages come after that mark.
#[derive(Clone, Copy, Debug)]
pub struct OtherSeen {
    pub seen: Mark,
    pub moved_after: usize,
}

/// Translates `plan` into statements. `message_ids[i]` is the id of `plan.messages[i]`.
pub fn change_batch(
    target: Target<'_>,
    plan: &Plan,
    message_ids: &[String],
    author: Author<'_>,
    now: &str,
    other: Option<OtherSeen>,
) -> serde_json::Result<ChangeBatch> {
    let guard = Guard {
        ticket_id: target.id,
        status: target.status.as_str(),
    };
    let mut writes = Vec::new();
    if let Some(into) = &plan.move_content_to {
        writes.extend(sql::move_content(target.id, &into.id, guard));
    }
    if let Some(mid) = &plan.flag_message {
        writes.push(sql::flag_message(mid, guard));
    }
    let first_message = writes.len();
    for (m, id) in plan.messages.iter().zip(message_ids) {
        writes.push(sql::insert_message(
            &NewMessage {
                id,
                ticket_id: m.ticket.as_deref().unwrap_or(target.id),
                author_id: m.by_caller.then_some(author.id),
                kind: m.kind.as_str(),
                internal: m.internal,
                body: &m.body,
                now,
            },
            guard,
        ));
    }
    // Leaving "awaiting authorization" withdraws the offer still waiting (a decision recorded
    // earlier in the batch is no longer waiting).
    let to = plan.columns.status;
    if target.status == Status::AwaitingAuthorization && to != target.status {
        writes.push(sql::withdraw_offers(guard));
    }
    let first_event = writes.len();
    for e in &plan.events {
        writes.push(sql::insert_event(
            &NewEvent {
                ticket_id: e.ticket.as_deref().unwrap_or(target.id),
                actor_id: Some(author.id),
                actor_kind: author.kind,
                kind: e.kind.as_str(),
                data: serde_json::to_string(&e.data)?,
                now,
            },
            Some(guard),
        ));
    }
    let c = &plan.columns;
    let fmt = |v: Option<chrono::DateTime<chrono::Utc>>| v.map(db_time);
    let (paused_since, auto_close_at, resolved_at, reopen_until, due_at) = (
        fmt(c.paused_since),
        fmt(c.auto_close_at),
        fmt(c.resolved_at),
        fmt(c.reopen_until),
        fmt(c.due_at),
    );
    let update = sql::update_ticket(
        &TicketUpdate {
            status: c.status.as_str(),
            paused_reason: c.paused_reason.map(|r| r.as_str()),
            paused_since: paused_since.as_deref(),
            auto_close_at: auto_close_at.as_deref(),
            resolved_at: resolved_at.as_deref(),
            reopen_until: reopen_until.as_deref(),
            assignee_id: c
                .assignee
                .as_ref()
                .map(|a| a.as_ref().map(|u| u.id.as_str())),
            merged_into: c.merged_into.as_ref().map(|m| m.id.as_str()),
            now,
        },
        guard,
    );
    let due = sql::store_due_after(
        target.id,
        due_at.as_deref(),
        target.seen,
        plan.own_messages().count(),
        plan.own_events().count(),
    );
    let other_due = match (&plan.move_content_to, other) {
        (Some(into), Some(o)) => {
            let on = |t: &Option<String>| t.as_deref() == Some(into.id.as_str());
            let due = fmt(into.due_at);
            Some(sql::store_due_after(
                &into.id,
                due.as_deref(),
                o.seen,
                o.moved_after + plan.messages.iter().filter(|m| on(&m.ticket)).count(),
                plan.events.iter().filter(|e| on(&e.ticket)).count(),
            ))
        }
        _ => None,
    };
    let after = if target.status.is_open() && !to.is_open() {
        sql::purge_credentials(target.id, to.as_str(), now)
    } else {
        vec![]
    };
    Ok(ChangeBatch {
        writes,
        first_message,
        first_event,
        update,
        due,
        other_due,
        after,
    })
}

/// The statements of a create plan: the counter, the ticket, its first message and event
/// (`message_ids[i]` for `plan.messages[i]`), in that order.
pub fn create_batch(
    ticket: &sql::NewTicket<'_>,
    plan: &CreatePlan,
    message_ids: &[String],
    author: Author<'_>,
) -> serde_json::Result<Vec<Sql>> {
    let guard = Guard {
        ticket_id: ticket.id,
        status: plan.status.as_str(),
    };
    let mut out = vec![
        sql::bump_counter(ticket.counter),
        sql::insert_ticket(ticket),
    ];
    for (m, id) in plan.messages.iter().zip(message_ids) {
        out.push(sql::insert_message(
            &NewMessage {
                id,
                ticket_id: ticket.id,
                author_id: m.by_caller.then_some(author.id),
                kind: m.kind.as_str(),
                internal: m.internal,
                body: &m.body,
                now: ticket.now,
            },
            guard,
        ));
    }
    for e in &plan.events {
        out.push(sql::insert_event(
            &NewEvent {
                ticket_id: ticket.id,
                actor_id: Some(author.id),
                actor_kind: author.kind,
                kind: e.kind.as_str(),
                data: serde_json::to_string(&e.data)?,
                now: ticket.now,
            },
            None,
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};
    use domain::api::Role;
    use domain::calendar::BusinessCalendar;
    use domain::sla::{Priority, TimelineEvent};
    use domain::ticket::messages::{ReplyKind, ReplyRequest};
    use domain::ticket::plan::{self, Snapshot, Survivor, Who};
    use domain::ticket::visibility::Visibility;
    use sql::Arg;

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 2, 17, 0, 0).unwrap()
    }
    const AGENT: Who<'static> = Who {
        id: "u-agent",
        name: "Agente",
        role: Role::Agent,
        suspension: None,
    };
    const TARGET: Target<'static> = Target {
        id: "t1",
        status: Status::Open,
        seen: Mark { m: 40, e: 7 },
    };
    const AUTHOR: Author<'static> = Author {
        id: "u-agent",
        kind: "agent",
    };

    fn snap(tl: &[TimelineEvent]) -> Snapshot<'_> {
        Snapshot {
            id: "t1",
            number: "T-2026-000001",
            status: Status::Open,
            priority: Priority::Medium,
            requester_id: "u-ana",
            assignee_id: None,
            paused_since: None,
            auto_close_at: None,
            resolved_at: None,
            reopen_until: None,
            timeline: tl,
        }
    }

    fn text(a: &Arg) -> &str {
        match a {
            Arg::Text(s) => s,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_reply_is_message_events_guarded_update_and_due() {
        let tl = [TimelineEvent::ClientMessage {
            at: now() - Duration::hours(1),
        }];
        let req = ReplyRequest {
            kind: ReplyKind::Reply,
            internal: false,
        };
        let cal = BusinessCalendar::default();
        let p = plan::plan_message(&snap(&tl), &AGENT, "Hola".into(), req, &cal, now()).unwrap();
        let b = change_batch(TARGET, &p, &["m1".into()], AUTHOR, "NOW", None).unwrap();
        // One message, then the "assigned" event (the reply takes the ticket).
        assert_eq!((b.first_message, b.first_event, b.writes.len()), (0, 1, 2));
        let m = &b.writes[0];
        assert!(m.text.starts_with("INSERT INTO messages") && m.text.ends_with("RETURNING seq"));
        assert_eq!(text(&m.args[0]), "m1");
        assert_eq!(text(&m.args[3]), "reply");
        assert_eq!(
            (text(&m.args[7]), text(&m.args[8])),
            ("t1", "open"),
            "guarded by the status read"
        );
        assert_eq!(text(&b.writes[1].args[3]), "assigned");
        // The update sets the assignee and keeps the status; the due time is cleared by
        // the answer, counted over exactly this batch's 1 message and 1 event.
        assert_eq!(b.update.args[8], Arg::Int(1));
        assert_eq!(text(&b.update.args[9]), "u-agent");
        assert_eq!(b.due.args[1], Arg::Null);
        assert_eq!(
            b.due.args[2..],
            [Arg::Int(40), Arg::Int(7), Arg::Int(1), Arg::Int(1)]
        );
        assert!(b.other_due.is_none());
    }

    #[test]
    fn leaving_awaiting_authorization_withdraws_the_offer_and_finishing_erases_credentials() {
        let cal = BusinessCalendar::default();
        let waiting = Snapshot {
            status: Status::AwaitingAuthorization,
            ..snap(&[])
        };
        let target = Target {
            status: Status::AwaitingAuthorization,
            ..TARGET
        };
        let p = plan::plan_status(&waiting, &AGENT, Status::Open, None, &cal, now()).unwrap();
        let b = change_batch(target, &p, &[], AUTHOR, "NOW", None).unwrap();
        let withdraw = b
            .writes
            .iter()
            .find(|w| w.text.starts_with("UPDATE offers SET state = 'superseded'"))
            .expect("the waiting offer is withdrawn");
        assert_eq!(
            (text(&withdraw.args[0]), text(&withdraw.args[1])),
            ("t1", "awaiting_authorization"),
            "guarded by the status read"
        );
        assert!(b.after.is_empty(), "the ticket stays open");
        // Resolving: the reminder and the purge run after the update, guarded by `resolved`.
        let p = plan::plan_status(&snap(&[]), &AGENT, Status::Resolved, None, &cal, now()).unwrap();
        let b = change_batch(TARGET, &p, &[], AUTHOR, "NOW", None).unwrap();
        assert!(!b.writes.iter().any(|w| w.text.contains("offers")));
        assert_eq!(b.after.len(), 2);
        assert!(b.after[0].text.starts_with("INSERT INTO messages"));
        assert!(b.after[1]
            .text
            .starts_with("UPDATE credentials SET sealed = NULL"));
        for a in &b.after {
            assert_eq!((text(&a.args[0]), text(&a.args[1])), ("t1", "resolved"));
        }
    }

    #[test]
    fn a_pause_writes_its_reason_and_no_due_time() {
        let tl = [TimelineEvent::ClientMessage {
            at: now() - Duration::hours(1),
        }];
        let cal = BusinessCalendar::default();
        let p = plan::plan_status(
            &snap(&tl),
            &AGENT,
            Status::WaitingThirdParty,
            None,
            &cal,
            now(),
        )
        .unwrap();
        let b = change_batch(TARGET, &p, &[], AUTHOR, "NOW", None).unwrap();
        assert_eq!(b.writes.len(), 1, "the status event");
        let data: serde_json::Value = serde_json::from_str(text(&b.writes[0].args[4])).unwrap();
        assert_eq!(data["to"], "waiting_third_party");
        assert_eq!(text(&b.update.args[2]), "waiting_third_party");
        assert_eq!(text(&b.update.args[3]), "waiting_third_party");
        assert_eq!(b.update.args[8], Arg::Int(0), "assignee kept");
        assert_eq!(b.due.args[1], Arg::Null);
    }

    #[test]
    fn a_merge_moves_content_first_and_guards_the_survivor_due_time() {
        let tl = [TimelineEvent::ClientMessage {
            at: now() - Duration::hours(1),
        }];
        let aud = Visibility {
            company_id: "c",
            requester_id: "u-ana",
            company_only_own: false,
        };
        let sv = Survivor {
            id: "t2",
            number: "T-2026-000002",
            status: Status::Open,
            priority: Priority::High,
            audience: aud,
            timeline: &tl,
        };
        let cal = BusinessCalendar::default();
        let moved = [(
            domain::ticket::messages::MessageKind::Client,
            false,
            now() - Duration::hours(1),
        )];
        let p = plan::plan_merge(&snap(&tl), aud, Some(&sv), &moved, &AGENT, &cal, now()).unwrap();
        let other = OtherSeen {
            seen: Mark { m: 90, e: 3 },
            moved_after: 0,
        };
        let b = change_batch(
            TARGET,
            &p,
            &["m1".into(), "m2".into()],
            AUTHOR,
            "NOW",
            Some(other),
        )
        .unwrap();
        assert!(b.writes[0].text.starts_with("UPDATE attachments"));
        assert!(b.writes[1]
            .text
            .starts_with("UPDATE messages SET ticket_id"));
        assert_eq!(b.first_message, 2);
        assert_eq!(
            text(&b.writes[3].args[1]),
            "t2",
            "the survivor's system message"
        );
        assert_eq!(text(&b.update.args[10]), "t2", "merged_into");
        let od = b.other_due.expect("the survivor's due time");
        assert_eq!(text(&od.args[0]), "t2");
        assert!(matches!(od.args[1], Arg::Text(_)));
        // On the survivor: 1 system message and the merged_from event.
        assert_eq!(od.args[4..], [Arg::Int(1), Arg::Int(1)]);
        // On the duplicate: 1 system message, merged_into + status events.
        assert_eq!(b.due.args[4..], [Arg::Int(1), Arg::Int(2)]);
    }
}
