use super::*;
use proptest::prelude::*;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn cal() -> BusinessCalendar {
    BusinessCalendar::default()
}

fn office_hours() -> BusinessCalendar {
    BusinessCalendar::new(CalendarSettings {
        clock: ClockMode::OfficeHours,
        ..Default::default()
    })
}

fn local(c: &BusinessCalendar, at: DateTime<Utc>) -> String {
    c.to_local(at).to_rfc3339()
}

#[test]
fn settings_defaults_and_serde() {
    let s = CalendarSettings::default();
    assert_eq!(
        (s.offset_minutes, s.open_minute, s.close_minute),
        (-360, 540, 1080)
    );
    assert_eq!(s.clock, ClockMode::WorkingDays);
    let json = serde_json::to_string(&s).unwrap();
    assert!(json.contains("\"clock\":\"working_days\""), "{json}");
    let parsed: CalendarSettings =
        serde_json::from_str(r#"{"clock":"office_hours","added":{"2026-12-12":"Día de la Virgen"},"removed":["2026-02-02"]}"#)
            .unwrap();
    assert_eq!(parsed.clock, ClockMode::OfficeHours);
    assert_eq!(parsed.offset_minutes, -360);
    assert_eq!(
        parsed.added.get(&d("2026-12-12")).unwrap(),
        "Día de la Virgen"
    );
    assert!(parsed.removed.contains(&d("2026-02-02")));
    assert!(s.validate().is_ok());
    let bad = CalendarSettings {
        open_minute: 1080,
        close_minute: 540,
        ..Default::default()
    };
    assert_eq!(bad.validate().unwrap_err().code, "invalid_hours");
    let bad = CalendarSettings {
        offset_minutes: 2000,
        ..Default::default()
    };
    assert_eq!(bad.validate().unwrap_err().field, "offset_minutes");
    // invalid settings fall back to defaults instead of looping forever
    let c = BusinessCalendar::new(CalendarSettings {
        offset_minutes: 99_999,
        open_minute: 600,
        close_minute: 600,
        clock: ClockMode::OfficeHours,
        ..Default::default()
    });
    assert_eq!(c.offset().local_minus_utc(), -6 * 3600);
    assert_eq!(
        (c.settings().open_minute, c.settings().close_minute),
        (540, 1080)
    );
}

#[test]
fn working_days_and_holidays() {
    let c = cal();
    assert!(c.is_working_day(d("2026-12-24"))); // Thu
    assert!(!c.is_working_day(d("2026-12-25"))); // Fri, Christmas
    assert!(!c.is_working_day(d("2026-12-26"))); // Sat
    assert!(!c.is_working_day(d("2026-12-27"))); // Sun
    assert!(c.is_working_day(d("2026-12-28")));
    assert!(!c.is_working_day(d("2026-02-02"))); // Constitution Day
    let hol = c.holidays(2026);
    assert_eq!(hol.len(), 7);
    assert!(hol.windows(2).all(|w| w[0].date < w[1].date));
}

#[test]
fn added_and_removed_holidays() {
    let mut s = CalendarSettings::default();
    s.added
        .insert(d("2026-12-12"), "Día de la Virgen de Guadalupe".into()); // Sat
    s.added.insert(d("2026-04-02"), "Jueves Santo".into());
    s.added.insert(d("2026-12-25"), "Duplicado".into()); // already statutory
    s.added.insert(d("2027-04-02"), "Otro año".into());
    s.removed.insert(d("2026-11-16"));
    let c = BusinessCalendar::new(s);
    let hol = c.holidays(2026);
    let dates: Vec<String> = hol.iter().map(|h| h.date.to_string()).collect();
    assert_eq!(
        dates,
        [
            "2026-01-01",
            "2026-02-02",
            "2026-03-16",
            "2026-04-02",
            "2026-05-01",
            "2026-09-16",
            "2026-12-12",
            "2026-12-25"
        ]
    );
    assert_eq!(hol[3].kind, HolidayKind::Added);
    assert_eq!(hol[3].name_es, "Jueves Santo");
    assert_eq!(hol[7].name_es, "Navidad");
    assert!(!c.is_working_day(d("2026-04-02")));
    assert!(
        c.is_working_day(d("2026-11-16")),
        "removed statutory date is worked"
    );
    assert!(!c.is_holiday(d("2026-11-16")));
    assert_eq!(c.holiday(d("2026-04-02")).unwrap().kind, HolidayKind::Added);
    assert_eq!(
        c.holiday(d("2026-12-25")).unwrap().kind,
        HolidayKind::Statutory
    );
    assert!(c.holiday(d("2026-11-16")).is_none());
    assert_eq!(
        c.holidays(2027)
            .iter()
            .filter(|h| h.kind == HolidayKind::Added)
            .count(),
        1
    );
}

#[test]
fn spec_friday_medium_due_tuesday() {
    let c = cal();
    // Fri 2026-03-06 17:00 → Tue 2026-03-10 17:00
    let due = c.add_working_hours(t("2026-03-06T17:00:00-06:00"), 48);
    assert_eq!(local(&c, due), "2026-03-10T17:00:00-06:00");
}

#[test]
fn spec_saturday_high_due_tuesday_midnight() {
    let c = cal();
    let due = c.add_working_hours(t("2026-03-07T11:00:00-06:00"), 24);
    assert_eq!(local(&c, due), "2026-03-10T00:00:00-06:00");
    assert_eq!(
        c.working_minutes_between(t("2026-03-07T11:00:00-06:00"), due),
        24 * 60
    );
}

#[test]
fn api_example_christmas_in_the_middle() {
    let c = cal();
    let due = c.add_working_hours(t("2026-12-24T10:00:00-06:00"), 48);
    assert_eq!(local(&c, due), "2026-12-29T10:00:00-06:00");
}

#[test]
fn utc_and_foreign_offsets_in_input() {
    let c = cal();
    // Same instant as 2026-12-24T10:00-06:00 written three ways.
    for s in [
        "2026-12-24T16:00:00Z",
        "2026-12-24T17:00:00+01:00",
        "2026-12-25T01:30:00+09:30",
    ] {
        let due = c.add_working_hours(t(s), 48);
        assert_eq!(local(&c, due), "2026-12-29T10:00:00-06:00", "{s}");
    }
    // 2026-12-25T03:00Z is still Thu Dec 24 21:00 in the office → counts 3h that day.
    let due = c.add_working_hours(t("2026-12-25T03:00:00Z"), 24);
    assert_eq!(local(&c, due), "2026-12-28T21:00:00-06:00");
}

#[test]
fn exact_midnight_boundaries() {
    let c = cal();
    // Starting exactly at Saturday 00:00 (= end of Friday) waits for Monday.
    let due = c.add_working_hours(t("2026-03-07T00:00:00-06:00"), 1);
    assert_eq!(local(&c, due), "2026-03-09T01:00:00-06:00");
    // Friday 00:00 + 24h → Saturday 00:00 (end of Friday), not Monday or Tuesday.
    let due = c.add_working_hours(t("2026-03-06T00:00:00-06:00"), 24);
    assert_eq!(local(&c, due), "2026-03-07T00:00:00-06:00");
    // Thursday 00:00 before Christmas + 24h → Fri Dec 25 00:00.
    let due = c.add_working_hours(t("2026-12-24T00:00:00-06:00"), 24);
    assert_eq!(local(&c, due), "2026-12-25T00:00:00-06:00");
    // One more second goes to Monday.
    let due = c.add_working_seconds(t("2026-12-24T00:00:00-06:00"), 24 * 3600 + 1);
    assert_eq!(local(&c, due), "2026-12-28T00:00:01-06:00");
    // A ticket opened at Sunday 23:59:59 starts counting Monday 00:00.
    let due = c.add_working_hours(t("2026-03-08T23:59:59-06:00"), 48);
    assert_eq!(local(&c, due), "2026-03-11T00:00:00-06:00");
    // Zero returns the input unchanged, even on a weekend.
    let sat = t("2026-03-07T11:00:00-06:00");
    assert_eq!(c.add_working_minutes(sat, 0), sat);
    assert_eq!(c.add_working_minutes(sat, -5), sat);
}

#[test]
fn working_minutes_between_examples() {
    let c = cal();
    let a = t("2026-12-24T10:00:00-06:00");
    let b = t("2026-12-29T10:00:00-06:00");
    assert_eq!(c.working_minutes_between(a, b), 48 * 60);
    assert_eq!(c.working_minutes_between(b, a), 0);
    assert_eq!(c.working_minutes_between(a, a), 0);
    // entirely inside a weekend
    assert_eq!(
        c.working_minutes_between(
            t("2026-03-07T01:00:00-06:00"),
            t("2026-03-08T23:00:00-06:00")
        ),
        0
    );
    // floors partial minutes
    assert_eq!(
        c.working_minutes_between(
            t("2026-03-09T10:00:00-06:00"),
            t("2026-03-09T10:01:59-06:00")
        ),
        1
    );
    // office-hours: Fri 17:00 → Mon 10:00 = 1h + 1h
    let o = office_hours();
    assert_eq!(
        o.working_minutes_between(
            t("2026-03-06T17:00:00-06:00"),
            t("2026-03-09T10:00:00-06:00")
        ),
        120
    );
}

#[test]
fn office_hours_mode() {
    let c = office_hours();
    // Fri 17:00 + 48 office hours: Fri 1h, then 9h/day: Mon..Fri (45h) → 46h by next Fri 18:00;
    // Mon Mar 16 is a holiday (Benito Juárez) → Tue Mar 17 11:00.
    let due = c.add_working_hours(t("2026-03-06T17:00:00-06:00"), 48);
    assert_eq!(local(&c, due), "2026-03-17T11:00:00-06:00");
    // Ends exactly at closing: 18:00, not the next opening.
    let due = c.add_working_hours(t("2026-03-09T09:00:00-06:00"), 9);
    assert_eq!(local(&c, due), "2026-03-09T18:00:00-06:00");
    // Before opening: starts at 09:00.
    let due = c.add_working_hours(t("2026-03-09T03:00:00-06:00"), 1);
    assert_eq!(local(&c, due), "2026-03-09T10:00:00-06:00");
    // After closing: next working day.
    let due = c.add_working_hours(t("2026-03-09T19:00:00-06:00"), 1);
    assert_eq!(local(&c, due), "2026-03-10T10:00:00-06:00");
    assert!(c.is_counting(t("2026-03-09T09:00:00-06:00")));
    assert!(!c.is_counting(t("2026-03-09T18:00:00-06:00")));
    assert!(cal().is_counting(t("2026-03-09T23:00:00-06:00")));
    assert!(!cal().is_counting(t("2026-03-07T12:00:00-06:00")));
}

#[test]
fn non_mexican_office_offset() {
    // An office in Madrid in winter (+01:00).
    let c = BusinessCalendar::new(CalendarSettings {
        offset_minutes: 60,
        ..Default::default()
    });
    // Fri 2026-03-06 17:00+01:00 + 48h → Tue 17:00+01:00
    let due = c.add_working_hours(t("2026-03-06T16:00:00Z"), 48);
    assert_eq!(local(&c, due), "2026-03-10T17:00:00+01:00");
    assert_eq!(c.local_date(t("2026-03-06T23:30:00Z")), d("2026-03-07"));
}

#[test]
fn reopen_window_spec_example() {
    let c = cal();
    let dl = c.reopen_deadline(t("2026-12-23T15:00:00-06:00"), 5);
    assert_eq!(local(&c, dl), "2027-01-01T00:00:00-06:00");
    // resolved late in the evening local time, given in UTC (next UTC day)
    let dl = c.reopen_deadline(t("2026-12-24T05:59:59Z"), 5);
    assert_eq!(local(&c, dl), "2027-01-01T00:00:00-06:00");
    // resolved on a Saturday: Mon..Fri of the next week
    let dl = c.reopen_deadline(t("2026-03-07T12:00:00-06:00"), 5);
    assert_eq!(local(&c, dl), "2026-03-14T00:00:00-06:00");
    // n = 0 → end of the resolution day
    let dl = c.reopen_deadline(t("2026-03-07T12:00:00-06:00"), 0);
    assert_eq!(local(&c, dl), "2026-03-08T00:00:00-06:00");
    // clock mode does not matter for the warranty window
    let dl = office_hours().reopen_deadline(t("2026-12-23T15:00:00-06:00"), 5);
    assert_eq!(local(&c, dl), "2027-01-01T00:00:00-06:00");
}

#[test]
fn open_and_next_opening() {
    let c = cal();
    let at = t("2026-03-09T09:00:00-06:00");
    assert!(c.is_open(at));
    assert_eq!(c.next_opening(at), at);
    assert!(c.is_open(t("2026-03-09T17:59:59-06:00")));
    assert!(!c.is_open(t("2026-03-09T18:00:00-06:00")));
    assert!(!c.is_open(t("2026-03-09T08:59:59-06:00")));
    assert_eq!(
        local(&c, c.next_opening(t("2026-03-09T08:00:00-06:00"))),
        "2026-03-09T09:00:00-06:00"
    );
    assert_eq!(
        local(&c, c.next_opening(t("2026-03-09T18:00:00-06:00"))),
        "2026-03-10T09:00:00-06:00"
    );
    // Friday evening → Monday; Christmas Eve evening → Monday Dec 28
    assert_eq!(
        local(&c, c.next_opening(t("2026-03-06T19:00:00-06:00"))),
        "2026-03-09T09:00:00-06:00"
    );
    assert_eq!(
        local(&c, c.next_opening(t("2026-12-24T18:30:00-06:00"))),
        "2026-12-28T09:00:00-06:00"
    );
    // Before the Monday holiday of Feb 2 → Tuesday
    assert_eq!(
        local(&c, c.next_opening(t("2026-01-31T10:00:00-06:00"))),
        "2026-02-03T09:00:00-06:00"
    );
    assert!(!c.is_open(t("2026-12-25T10:00:00-06:00")));
    assert_eq!(
        local(&c, c.next_closing(t("2026-03-09T10:00:00-06:00"))),
        "2026-03-09T18:00:00-06:00"
    );
    assert_eq!(
        local(&c, c.next_closing(t("2026-03-07T10:00:00-06:00"))),
        "2026-03-09T18:00:00-06:00"
    );
    assert_eq!(
        local(&c, c.local(d("2026-03-09"), 9, 0).unwrap()),
        "2026-03-09T09:00:00-06:00"
    );
    assert_eq!(
        local(&c, c.start_of_day(d("2026-03-09"))),
        "2026-03-09T00:00:00-06:00"
    );
}

#[test]
fn sub_second_inputs_are_truncated() {
    let c = cal();
    let from = t("2026-03-09T10:00:00.750-06:00");
    let due = c.add_working_minutes(from, 1);
    assert_eq!(local(&c, due), "2026-03-09T10:01:00-06:00");
    assert_eq!(c.working_minutes_between(from, due), 1);
}

#[test]
fn very_long_spans_jump_days() {
    let c = cal();
    let from = t("2026-01-01T00:00:00Z");
    let due = c.add_working_hours(from, 24 * 250 * 4);
    assert_eq!(c.working_minutes_between(from, due), 24 * 250 * 4 * 60);
    assert!(c.to_local(due).date_naive().year() >= 2029);
}

// ----- property tests ------------------------------------------------------

fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 2020-01-01 .. 2040-01-01, whole seconds
    (1_577_836_800i64..2_208_988_800i64)
        .prop_map(|s| DateTime::<Utc>::from_timestamp(s, 0).unwrap())
}

fn any_calendar() -> impl Strategy<Value = BusinessCalendar> {
    (
        prop_oneof![
            Just(-360i32),
            Just(0),
            Just(60),
            Just(-300),
            Just(330),
            Just(-720),
            Just(840)
        ],
        prop_oneof![Just(ClockMode::WorkingDays), Just(ClockMode::OfficeHours)],
        (0u32..1439, 1u32..1440),
        proptest::collection::btree_set(0i64..7300, 0..30),
        proptest::collection::btree_set(0i64..7300, 0..5),
    )
        .prop_map(|(off, clock, (a, b), added, removed)| {
            let (open, close) = if a < b { (a, b) } else { (540, 1080) };
            let base = d("2020-01-01");
            BusinessCalendar::new(CalendarSettings {
                offset_minutes: off,
                open_minute: open,
                close_minute: close,
                clock,
                added: added
                    .into_iter()
                    .map(|n| (base + chrono::Days::new(n as u64), "Cierre".to_string()))
                    .collect(),
                removed: removed
                    .into_iter()
                    .map(|n| base + chrono::Days::new(n as u64))
                    .collect(),
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn due_not_before_from(c in any_calendar(), from in any_instant(), m in 0i64..20_000) {
        prop_assert!(c.add_working_minutes(from, m) >= from);
    }

    #[test]
    fn due_monotonic_in_from(c in any_calendar(), a in any_instant(), delta in 0i64..2_000_000, m in 0i64..10_000) {
        let b = a + chrono::Duration::seconds(delta);
        prop_assert!(c.add_working_minutes(a, m) <= c.add_working_minutes(b, m));
    }

    #[test]
    fn due_monotonic_in_minutes(c in any_calendar(), a in any_instant(), m in 0i64..10_000, extra in 0i64..5_000) {
        prop_assert!(c.add_working_minutes(a, m) <= c.add_working_minutes(a, m + extra));
    }

    #[test]
    fn elapsed_of_add_is_identity(c in any_calendar(), from in any_instant(), m in 0i64..20_000) {
        let due = c.add_working_minutes(from, m);
        prop_assert_eq!(c.working_minutes_between(from, due), m);
    }

    #[test]
    fn add_is_earliest(c in any_calendar(), from in any_instant(), m in 1i64..20_000) {
        // one second earlier, less than m minutes have elapsed
        let due = c.add_working_minutes(from, m);
        let before = due - chrono::Duration::seconds(1);
        prop_assert!(c.working_seconds_between(from, before) < m * 60);
    }

    #[test]
    fn between_is_additive(c in any_calendar(), a in any_instant(), x in 0i64..1_000_000, y in 0i64..1_000_000) {
        let b = a + chrono::Duration::seconds(x);
        let e = b + chrono::Duration::seconds(y);
        prop_assert_eq!(
            c.working_seconds_between(a, b) + c.working_seconds_between(b, e),
            c.working_seconds_between(a, e)
        );
    }

    #[test]
    fn due_never_strictly_inside_non_working_day(c in any_calendar(), from in any_instant(), m in 1i64..20_000) {
        let due = c.to_local(c.add_working_minutes(from, m));
        let midnight = due.time() == chrono::NaiveTime::MIN;
        prop_assert!(midnight || c.is_working_day(due.date_naive()), "due {} on non-working day", due);
        if c.clock() == ClockMode::OfficeHours {
            let minute = due.time().signed_duration_since(chrono::NaiveTime::MIN).num_seconds();
            let s = c.settings();
            prop_assert!(minute > i64::from(s.open_minute) * 60 && minute <= i64::from(s.close_minute) * 60
                || (midnight && s.close_minute == 1440));
        }
    }

    #[test]
    fn reopen_deadline_at_day_boundary(c in any_calendar(), resolved in any_instant(), n in 0u32..12) {
        let dl = c.reopen_deadline(resolved, n);
        let local = c.to_local(dl);
        prop_assert_eq!(local.time(), chrono::NaiveTime::MIN);
        let resolved_day = c.local_date(resolved);
        let last_day = local.date_naive().pred_opt().unwrap();
        prop_assert!(last_day >= resolved_day);
        // exactly n working days in (resolved_day, last_day], and last_day is one of them
        let mut count = 0;
        let mut day = resolved_day.succ_opt().unwrap();
        while day <= last_day {
            if c.is_working_day(day) { count += 1; }
            day = day.succ_opt().unwrap();
        }
        prop_assert_eq!(count, n);
        if n > 0 { prop_assert!(c.is_working_day(last_day)); }
        prop_assert!(dl > resolved);
    }

    #[test]
    fn next_opening_is_open_and_not_before(c in any_calendar(), at in any_instant()) {
        let o = c.next_opening(at);
        prop_assert!(o >= at);
        prop_assert!(c.is_open(o));
        // nothing open strictly between at and o (sampled)
        if o > at {
            let mid = at + (o - at) / 2;
            prop_assert!(!c.is_open(mid) || mid >= o);
        }
    }
}

#[test]
fn empty_patch_changes_nothing_and_partial_patch_keeps_the_rest() {
    let mut stored = CalendarSettings {
        open_minute: 480,
        clock: ClockMode::OfficeHours,
        ..Default::default()
    };
    stored.added.insert(
        NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
        "Cierre".into(),
    );
    let empty: CalendarSettingsPatch = serde_json::from_str("{}").unwrap();
    assert_eq!(stored.patched(&empty).unwrap(), stored);
    let close_early = CalendarSettingsPatch {
        close_minute: Some(900),
        ..Default::default()
    };
    let next = stored.patched(&close_early).unwrap();
    assert_eq!(next.close_minute, 900);
    assert_eq!(
        (next.open_minute, next.clock),
        (480, ClockMode::OfficeHours)
    );
    assert_eq!(next.added, stored.added);
}

#[test]
fn patch_is_validated_against_the_stored_values() {
    let stored = CalendarSettings::default(); // 09:00–18:00
    let open_after_close = CalendarSettingsPatch {
        open_minute: Some(1100),
        ..Default::default()
    };
    assert_eq!(
        stored.patched(&open_after_close).unwrap_err().field,
        "open_minute"
    );
    assert!(serde_json::from_str::<CalendarSettingsPatch>(r#"{"opening":1}"#).is_err());
}
