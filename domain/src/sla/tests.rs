use super::*;
use crate::calendar::{CalendarSettings, ClockMode};
use proptest::prelude::*;
use TimelineEvent::*;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn cal() -> BusinessCalendar {
    BusinessCalendar::default()
}

fn local(at: DateTime<Utc>) -> String {
    cal().to_local(at).to_rfc3339()
}

#[test]
fn priorities() {
    assert_eq!(Priority::Low.target_hours(), 72);
    assert_eq!(Priority::Medium.target_hours(), 48);
    assert_eq!(Priority::High.target_hours(), 24);
    assert_eq!("MEDIUM".parse::<Priority>().unwrap(), Priority::Medium);
    let e = "urgent".parse::<Priority>().unwrap_err();
    assert_eq!((e.field, e.code), ("priority", "invalid_priority"));
    assert_eq!(serde_json::to_string(&Priority::High).unwrap(), "\"high\"");
    assert_eq!(Priority::Low.as_str(), "low");
    assert_eq!(Priority::Medium.label(Lang::Es), "Media");
    assert_eq!(
        serde_json::to_string(&PauseReason::WaitingThirdParty).unwrap(),
        "\"waiting_third_party\""
    );
    assert_eq!(
        "waiting_release".parse::<PauseReason>(),
        Ok(PauseReason::WaitingRelease)
    );
}

#[test]
fn preview_examples() {
    let c = cal();
    assert_eq!(
        local(due_at(&c, Priority::Medium, t("2026-12-24T10:00:00-06:00"))),
        "2026-12-29T10:00:00-06:00"
    );
    assert_eq!(
        local(due_at(&c, Priority::Medium, t("2026-03-06T17:00:00-06:00"))),
        "2026-03-10T17:00:00-06:00"
    );
    assert_eq!(
        local(due_at(&c, Priority::High, t("2026-03-07T11:00:00-06:00"))),
        "2026-03-10T00:00:00-06:00"
    );
    assert_eq!(
        local(due_at(&c, Priority::Low, t("2026-03-09T12:00:00-06:00"))),
        "2026-03-12T12:00:00-06:00"
    );
}

#[test]
fn auto_close_and_reopen() {
    let c = cal();
    // "Awaiting your answer" sent Thu 2026-12-24 12:00 → 12h Thu + 24h Mon + 12h Tue
    assert_eq!(
        local(auto_close_deadline(&c, t("2026-12-24T12:00:00-06:00"))),
        "2026-12-29T12:00:00-06:00"
    );
    // Office-hours clock: 48 office hours ≈ 5⅓ working days
    let o = BusinessCalendar::new(CalendarSettings {
        clock: ClockMode::OfficeHours,
        ..Default::default()
    });
    assert_eq!(
        o.to_local(auto_close_deadline(&o, t("2026-03-09T09:00:00-06:00")))
            .to_rfc3339(),
        "2026-03-17T12:00:00-06:00" // Mon 16 is a holiday
    );
    assert_eq!(
        local(reopen_deadline(&c, t("2026-12-23T09:00:00-06:00"))),
        "2027-01-01T00:00:00-06:00"
    );
}

#[test]
fn fresh_ticket() {
    let c = cal();
    let open = t("2026-03-06T17:00:00-06:00");
    let s = compute(
        &c,
        Priority::Medium,
        &[ClientMessage { at: open }],
        t("2026-03-09T12:00:00-06:00"),
    );
    assert_eq!(local(s.due_at.unwrap()), "2026-03-10T17:00:00-06:00");
    // consumed: Fri 7h (17:00–24:00) + Mon 12h = 19h → 29h left
    assert_eq!(s.remaining_minutes, Some(29 * 60));
    assert!(!s.breached);
    assert_eq!(s.breached_by_minutes, 0);
    assert_eq!(s.paused, None);
    assert_eq!(s.started_at, Some(open));
    assert_eq!(s.paused_minutes.len(), 3);
    assert!(s.paused_minutes.values().all(|&m| m == 0));
    assert_eq!(s.targets.len(), 1);
}

#[test]
fn breached_ticket() {
    let c = cal();
    let events = [ClientMessage {
        at: t("2026-03-06T17:00:00-06:00"),
    }];
    let s = compute(
        &c,
        Priority::Medium,
        &events,
        t("2026-03-10T18:30:00-06:00"),
    );
    assert!(s.breached);
    assert_eq!(s.breached_by_minutes, 90);
    assert_eq!(s.remaining_minutes, Some(-90));
    assert_eq!(local(s.due_at.unwrap()), "2026-03-10T17:00:00-06:00");
    // exactly at due: not breached
    let s = compute(
        &c,
        Priority::Medium,
        &events,
        t("2026-03-10T17:00:00-06:00"),
    );
    assert!(!s.breached);
    assert_eq!(s.remaining_minutes, Some(0));
    // 30 s late: breached by one (started) minute
    let s = compute(
        &c,
        Priority::Medium,
        &events,
        t("2026-03-10T17:00:30-06:00"),
    );
    assert!(s.breached);
    assert_eq!((s.remaining_minutes, s.breached_by_minutes), (Some(-1), 1));
}

#[test]
fn staff_reply_satisfies_and_client_restarts() {
    let c = cal();
    let events = [
        ClientMessage {
            at: t("2026-03-09T10:00:00-06:00"),
        },
        ClientMessage {
            at: t("2026-03-09T11:00:00-06:00"),
        }, // does not restart
        StaffReply {
            at: t("2026-03-09T15:00:00-06:00"),
        },
    ];
    let s = compute(&c, Priority::High, &events, t("2026-03-12T10:00:00-06:00"));
    assert_eq!(s.due_at, None);
    assert_eq!(s.remaining_minutes, None);
    assert!(!s.breached);
    assert_eq!(s.targets.len(), 1);
    assert!(s.targets[0].answered);
    assert_eq!(local(s.targets[0].due_at), "2026-03-10T10:00:00-06:00");
    assert_eq!(s.missed_targets, 0);

    let mut more = events.to_vec();
    more.push(ClientMessage {
        at: t("2026-03-13T16:00:00-06:00"),
    }); // Friday
    let s = compute(&c, Priority::High, &more, t("2026-03-14T10:00:00-06:00"));
    // Fri 8h, Mon 16 holiday, Tue 17 16:00
    assert_eq!(local(s.due_at.unwrap()), "2026-03-17T16:00:00-06:00");
    assert_eq!(s.remaining_minutes, Some(16 * 60));
    assert_eq!(s.targets.len(), 2);
}

#[test]
fn late_answer_is_recorded() {
    let c = cal();
    let events = [
        ClientMessage {
            at: t("2026-03-09T10:00:00-06:00"),
        },
        StaffReply {
            at: t("2026-03-10T12:00:00-06:00"),
        },
    ];
    let s = compute(&c, Priority::High, &events, t("2026-03-11T10:00:00-06:00"));
    assert!(!s.breached, "nothing running now");
    assert_eq!(s.missed_targets, 1);
    assert_eq!(s.targets[0].breached_by_minutes, 120);
}

#[test]
fn pause_pushes_due_by_paused_working_time() {
    let c = cal();
    let events = [
        ClientMessage {
            at: t("2026-03-09T10:00:00-06:00"),
        }, // Mon, High 24h → Tue 10:00
        Paused {
            at: t("2026-03-09T12:00:00-06:00"),
            reason: PauseReason::WaitingThirdParty,
        },
        Resumed {
            at: t("2026-03-09T20:00:00-06:00"),
        },
    ];
    let s = compute(&c, Priority::High, &events, t("2026-03-09T21:00:00-06:00"));
    assert_eq!(local(s.due_at.unwrap()), "2026-03-10T18:00:00-06:00");
    assert_eq!(s.paused_minutes[&PauseReason::WaitingThirdParty], 8 * 60);
    assert_eq!(s.remaining_minutes, Some(21 * 60));
    assert_eq!(s.paused, None);

    // Pause over a weekend: only working time counts as paused.
    let events = [
        ClientMessage {
            at: t("2026-03-05T10:00:00-06:00"),
        }, // Thu
        Paused {
            at: t("2026-03-05T12:00:00-06:00"),
            reason: PauseReason::WaitingRelease,
        },
        Resumed {
            at: t("2026-03-09T06:00:00-06:00"),
        }, // Mon
    ];
    let s = compute(&c, Priority::High, &events, t("2026-03-09T07:00:00-06:00"));
    assert_eq!(
        s.paused_minutes[&PauseReason::WaitingRelease],
        (12 + 24 + 6) * 60
    );
    // consumed 2h before the pause → 22h from Mon 06:00 → Tue 04:00
    assert_eq!(local(s.due_at.unwrap()), "2026-03-10T04:00:00-06:00");
}

#[test]
fn ongoing_pause_projects_due() {
    let c = cal();
    let events = [
        ClientMessage {
            at: t("2026-03-09T10:00:00-06:00"),
        },
        Paused {
            at: t("2026-03-09T12:00:00-06:00"),
            reason: PauseReason::WaitingClient,
        },
    ];
    let now = t("2026-03-09T15:00:00-06:00");
    let s = compute(&c, Priority::High, &events, now);
    assert_eq!(
        s.paused,
        Some((PauseReason::WaitingClient, t("2026-03-09T12:00:00-06:00")))
    );
    assert_eq!(s.remaining_minutes, Some(22 * 60));
    assert_eq!(local(s.due_at.unwrap()), "2026-03-10T13:00:00-06:00");
    assert_eq!(s.paused_minutes[&PauseReason::WaitingClient], 180);
    // A client message ends a waiting-client pause.
    let mut ev = events.to_vec();
    ev.push(ClientMessage { at: now });
    let s2 = compute(&c, Priority::High, &ev, t("2026-03-09T16:00:00-06:00"));
    assert_eq!(s2.paused, None);
    assert_eq!(s2.due_at, s.due_at);
    assert_eq!(s2.targets.len(), 1);
}

#[test]
fn client_message_does_not_end_third_party_pause() {
    let c = cal();
    let events = [
        Paused {
            at: t("2026-03-09T09:00:00-06:00"),
            reason: PauseReason::WaitingThirdParty,
        },
        ClientMessage {
            at: t("2026-03-09T10:00:00-06:00"),
        },
    ];
    let s = compute(&c, Priority::High, &events, t("2026-03-09T15:00:00-06:00"));
    assert_eq!(s.paused.unwrap().0, PauseReason::WaitingThirdParty);
    assert_eq!(s.remaining_minutes, Some(24 * 60), "target started paused");
    assert_eq!(s.paused_minutes[&PauseReason::WaitingThirdParty], 6 * 60);
}

#[test]
fn switching_reasons() {
    let c = cal();
    let events = [
        ClientMessage {
            at: t("2026-03-09T08:00:00-06:00"),
        },
        Paused {
            at: t("2026-03-09T09:00:00-06:00"),
            reason: PauseReason::WaitingThirdParty,
        },
        Paused {
            at: t("2026-03-09T09:00:00-06:00"),
            reason: PauseReason::WaitingThirdParty,
        },
        Paused {
            at: t("2026-03-09T11:00:00-06:00"),
            reason: PauseReason::WaitingRelease,
        },
        Resumed {
            at: t("2026-03-09T14:00:00-06:00"),
        },
        Resumed {
            at: t("2026-03-09T15:00:00-06:00"),
        }, // no-op
    ];
    let s = compute(&c, Priority::High, &events, t("2026-03-09T16:00:00-06:00"));
    assert_eq!(s.paused_minutes[&PauseReason::WaitingThirdParty], 120);
    assert_eq!(s.paused_minutes[&PauseReason::WaitingRelease], 180);
    assert_eq!(s.remaining_minutes, Some((24 - 1 - 2) * 60));
}

#[test]
fn pause_after_breach_does_not_unbreach() {
    let c = cal();
    let events = [
        ClientMessage {
            at: t("2026-03-09T10:00:00-06:00"),
        },
        Paused {
            at: t("2026-03-10T12:00:00-06:00"),
            reason: PauseReason::WaitingClient,
        },
    ];
    let s = compute(&c, Priority::High, &events, t("2026-03-12T12:00:00-06:00"));
    assert!(s.breached);
    assert_eq!(s.breached_by_minutes, 120);
    assert_eq!(local(s.due_at.unwrap()), "2026-03-10T10:00:00-06:00");
}

#[test]
fn closed_and_reopened() {
    let c = cal();
    let events = [
        ClientMessage {
            at: t("2026-03-09T10:00:00-06:00"),
        },
        StaffReply {
            at: t("2026-03-09T11:00:00-06:00"),
        },
        Paused {
            at: t("2026-03-09T11:00:00-06:00"),
            reason: PauseReason::WaitingClient,
        },
        Closed {
            at: t("2026-03-11T11:00:00-06:00"),
        },
        ClientMessage {
            at: t("2026-03-11T12:00:00-06:00"),
        }, // ignored while closed
        Reopened {
            at: t("2026-03-12T09:00:00-06:00"),
        },
    ];
    let s = compute(
        &c,
        Priority::Medium,
        &events,
        t("2026-03-12T10:00:00-06:00"),
    );
    assert_eq!(s.paused, None);
    assert_eq!(s.paused_minutes[&PauseReason::WaitingClient], 48 * 60);
    assert_eq!(s.started_at, Some(t("2026-03-12T09:00:00-06:00")));
    // Thu 09:00: 15h Thu + 24h Fri, Mon 16 holiday, 9h Tue
    assert_eq!(local(s.due_at.unwrap()), "2026-03-17T09:00:00-06:00");
    assert_eq!(s.targets.len(), 2);

    // Closing with an unanswered target drops it
    let events = [
        ClientMessage {
            at: t("2026-03-09T10:00:00-06:00"),
        },
        Closed {
            at: t("2026-03-09T12:00:00-06:00"),
        },
    ];
    let s = compute(
        &c,
        Priority::Medium,
        &events,
        t("2026-03-20T10:00:00-06:00"),
    );
    assert_eq!(s.due_at, None);
    assert!(!s.breached);
    assert!(!s.targets[0].answered);
}

#[test]
fn unsorted_and_future_events() {
    let c = cal();
    let events = [
        StaffReply {
            at: t("2026-03-09T15:00:00-06:00"),
        },
        ClientMessage {
            at: t("2026-03-09T10:00:00-06:00"),
        },
        StaffReply {
            at: t("2026-03-20T15:00:00-06:00"),
        }, // after now: ignored
    ];
    let s = compute(&c, Priority::High, &events, t("2026-03-09T12:00:00-06:00"));
    assert_eq!(s.remaining_minutes, Some(22 * 60));
    let s = compute(&c, Priority::High, &events, t("2026-03-09T16:00:00-06:00"));
    assert_eq!(s.due_at, None);
    assert_eq!(
        compute(&c, Priority::Low, &[], t("2026-03-09T16:00:00-06:00")).due_at,
        None
    );
}

#[test]
fn timeline_serde() {
    let ev: Vec<TimelineEvent> = serde_json::from_str(
        r#"[{"type":"client_message","at":"2026-03-09T10:00:00-06:00"},
            {"type":"paused","at":"2026-03-09T11:00:00Z","reason":"waiting_release"}]"#,
    )
    .unwrap();
    assert_eq!(
        ev[1],
        Paused {
            at: t("2026-03-09T11:00:00Z"),
            reason: PauseReason::WaitingRelease
        }
    );
    let s = compute(&cal(), Priority::Low, &ev, t("2026-03-09T12:00:00Z"));
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["paused"][0], "waiting_release");
    assert_eq!(json["paused_minutes"]["waiting_release"], 60);
}

// ----- property tests ------------------------------------------------------

fn base() -> DateTime<Utc> {
    t("2026-01-01T00:00:00Z")
}

fn offsets() -> impl Strategy<Value = Vec<(u8, i64)>> {
    proptest::collection::vec((0u8..6, 0i64..400_000), 0..25)
}

fn to_events(raw: &[(u8, i64)]) -> Vec<TimelineEvent> {
    let mut at = base();
    raw.iter()
        .map(|&(k, dt)| {
            at += chrono::Duration::seconds(dt);
            match k {
                0 => ClientMessage { at },
                1 => StaffReply { at },
                2 => Paused {
                    at,
                    reason: PauseReason::ALL[(dt % 3) as usize],
                },
                3 => Resumed { at },
                4 => Closed { at },
                _ => Reopened { at },
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn due_not_before_start(raw in offsets(), now_dt in 0i64..10_000_000, p in 0usize..3) {
        let c = cal();
        let events = to_events(&raw);
        let now = base() + chrono::Duration::seconds(now_dt);
        let s = compute(&c, Priority::ALL[p], &events, now);
        if let (Some(start), Some(due)) = (s.started_at, s.due_at) {
            prop_assert!(due >= start);
            prop_assert_eq!(s.breached, s.remaining_minutes.unwrap() < 0);
            if s.breached { prop_assert_eq!(s.breached_by_minutes, -s.remaining_minutes.unwrap()); }
        } else {
            prop_assert!(s.due_at.is_none() && s.remaining_minutes.is_none() && !s.breached);
        }
        prop_assert!(s.paused_minutes.values().all(|&m| m >= 0));
    }

    /// Inserting a pause (and its resume) into a running target never makes its due time earlier.
    #[test]
    fn pause_never_makes_due_earlier(
        open_dt in 0i64..1_000_000,
        pause_dt in 0i64..400_000,
        len in 0i64..400_000,
        now_dt in 0i64..2_000_000,
        reason in 0usize..3,
        p in 0usize..3,
    ) {
        let c = cal();
        let open = base() + chrono::Duration::seconds(open_dt);
        let ps = open + chrono::Duration::seconds(pause_dt);
        let pe = ps + chrono::Duration::seconds(len);
        let now = open + chrono::Duration::seconds(now_dt);
        let plain = compute(&c, Priority::ALL[p], &[ClientMessage { at: open }], now);
        let paused = compute(
            &c,
            Priority::ALL[p],
            &[ClientMessage { at: open }, Paused { at: ps, reason: PauseReason::ALL[reason] }, Resumed { at: pe }],
            now,
        );
        prop_assert!(paused.due_at.unwrap() >= plain.due_at.unwrap());
        prop_assert!(paused.remaining_minutes.unwrap() >= plain.remaining_minutes.unwrap());
        // the formula of the brief: due = add(start, target + paused working time since start)
        if now >= pe && plain.due_at.unwrap() > ps {
            let pmin = c.working_seconds_between(ps, pe);
            let want = c.add_working_seconds(open, Priority::ALL[p].target_minutes() * 60 + pmin);
            prop_assert_eq!(paused.due_at.unwrap(), want);
        }
    }

    #[test]
    fn unpaused_due_matches_preview(open_dt in 0i64..10_000_000, now_dt in 0i64..1_000_000, p in 0usize..3) {
        let c = cal();
        let open = base() + chrono::Duration::seconds(open_dt);
        let s = compute(&c, Priority::ALL[p], &[ClientMessage { at: open }], open + chrono::Duration::seconds(now_dt));
        prop_assert_eq!(s.due_at.unwrap(), due_at(&c, Priority::ALL[p], open));
    }
}
