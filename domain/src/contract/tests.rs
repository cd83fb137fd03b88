use super::*;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn plans() {
    let hours: Vec<u32> = Plan::ALL.iter().map(|p| p.hours()).collect();
    assert_eq!(hours, [0, 10, 15, 20, 35]);
    assert_eq!(
        serde_json::to_string(&Plan::EmpresarialPlus).unwrap(),
        "\"empresarial_plus\""
    );
    assert_eq!("basica_plus".parse::<Plan>().unwrap(), Plan::BasicaPlus);
    assert_eq!(Plan::Basica.label(Lang::Es), "Básica");
    assert_eq!("gold".parse::<Plan>().unwrap_err().field, "plan");
}

#[test]
fn kinds_and_statuses_serde() {
    assert_eq!(
        serde_json::to_string(&ServiceKind::DevelopedSystem).unwrap(),
        "\"developed_system\""
    );
    assert_eq!(
        serde_json::to_string(&ServiceStatus::EndOfLife).unwrap(),
        "\"end_of_life\""
    );
    for k in ServiceKind::ALL {
        assert_eq!(k.as_str().parse::<ServiceKind>().unwrap(), k);
        assert_eq!(
            serde_json::to_string(&k).unwrap(),
            format!("\"{}\"", k.as_str())
        );
    }
    for s in ServiceStatus::ALL {
        assert_eq!(s.as_str().parse::<ServiceStatus>().unwrap(), s);
    }
    for c in Category::ALL {
        assert_eq!(c.as_str().parse::<Category>().unwrap(), c);
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            format!("\"{}\"", c.as_str())
        );
    }
}

#[test]
fn contract_expiry_and_status() {
    let c = Contract::new(Plan::Basica, d("2026-03-15"));
    assert_eq!(c.hours_total, 10);
    assert_eq!(c.expires_on(), d("2027-03-15"));
    assert_eq!(
        Contract::new(Plan::Basica, d("2028-02-29")).expires_on(),
        d("2029-02-28")
    );

    let s = c.status(d("2026-03-15"), false);
    assert!(s.current);
    assert_eq!((s.reason, s.remaining_hours), (None, 10));
    assert!(c.status(d("2027-03-14"), false).current);
    assert_eq!(
        c.status(d("2027-03-15"), false).reason,
        Some(NotCurrentReason::Expired)
    );
    assert_eq!(
        c.status(d("2026-03-14"), false).reason,
        Some(NotCurrentReason::NotStarted)
    );
    assert_eq!(
        c.status(d("2026-06-01"), true).reason,
        Some(NotCurrentReason::OverdueInvoice)
    );

    let used = Contract {
        hours_used: 10,
        ..c
    };
    let s = used.status(d("2026-06-01"), true);
    assert!(!s.current);
    assert_eq!(s.reason, Some(NotCurrentReason::HoursUsedUp));
    assert_eq!(s.reason.unwrap().code(), "contract_hours_used_up");
    let over = Contract {
        hours_used: 12,
        ..c
    };
    assert_eq!(over.remaining_hours(), 0);

    // per-event "contract" has no hours and is never current
    assert!(
        !Contract::new(Plan::PerEvent, d("2026-01-01"))
            .status(d("2026-02-01"), false)
            .current
    );
    for r in [
        NotCurrentReason::NotStarted,
        NotCurrentReason::Expired,
        NotCurrentReason::HoursUsedUp,
        NotCurrentReason::OverdueInvoice,
    ] {
        assert!(r.message(Lang::Es).contains("póliza"));
        assert!(!r.message(Lang::En).is_empty());
    }
}

#[test]
fn eligibility_rules() {
    assert_eq!(eligibility(ServiceStatus::Active, false, false), Ok(()));
    assert_eq!(
        eligibility(ServiceStatus::Ended, false, false),
        Err(Ineligible::ServiceEnded)
    );
    assert_eq!(
        eligibility(ServiceStatus::EndOfLife, false, false),
        Err(Ineligible::ServiceEndOfLife)
    );
    assert_eq!(eligibility(ServiceStatus::Ended, true, false), Ok(()));
    assert_eq!(eligibility(ServiceStatus::EndOfLife, false, true), Ok(()));
    assert_eq!(Ineligible::ServiceEnded.code(), "service_ended");
    assert_eq!(Ineligible::ServiceEndOfLife.code(), "service_end_of_life");
    assert!(Ineligible::ServiceEnded
        .message(Lang::Es)
        .contains("cancelado"));
    assert!(Ineligible::ServiceEndOfLife
        .message(Lang::En)
        .contains("end of life"));
}

#[test]
fn categories_and_priorities() {
    assert!(!Category::Question.is_paid() && !Category::Incident.is_paid());
    assert!(
        Category::SupportCase.is_paid()
            && Category::RemoteAssistance.is_paid()
            && Category::PhoneAdvice.is_paid()
    );
    assert_eq!(
        Category::Incident.allowed_priorities(),
        &[Priority::Low, Priority::Medium]
    );
    assert_eq!(
        Category::PhoneAdvice.allowed_priorities(),
        &[Priority::High]
    );
}

#[test]
fn check_request_rules() {
    use Category::*;
    assert_eq!(
        check_request(Question, Priority::Low, false, true),
        Ok(Coverage::Free)
    );
    assert_eq!(
        check_request(Incident, Priority::Medium, true, false),
        Ok(Coverage::Free)
    );
    let e = check_request(Incident, Priority::High, true, false).unwrap_err();
    assert_eq!(
        (e.field(), e.code(), e.http_status()),
        ("priority", "priority_not_allowed", 422)
    );
    assert!(e.message(Lang::Es).contains("baja o media"));
    assert_eq!(
        check_request(SupportCase, Priority::High, true, false),
        Ok(Coverage::Contract)
    );
    assert_eq!(
        check_request(RemoteAssistance, Priority::High, false, false),
        Ok(Coverage::PerEvent)
    );
    let e = check_request(PhoneAdvice, Priority::High, false, true).unwrap_err();
    assert_eq!((e.field(), e.code()), ("category", "overdue_invoice"));
    assert!(e.message(Lang::En).contains("overdue"));
    let e = check_request(SupportCase, Priority::Low, true, false).unwrap_err();
    assert_eq!(e.field(), "priority");
    assert!(e.message(Lang::Es).contains("prioridad alta"));
    let fe = e.to_field_error();
    assert_eq!((fe.field, fe.code), ("priority", "priority_not_allowed"));
}

#[test]
fn request_options_list() {
    let opts = request_options(false, true);
    assert_eq!(opts.len(), 5);
    assert_eq!(opts[0].coverage, Some(Coverage::Free));
    assert!(opts[2..]
        .iter()
        .all(|o| o.coverage.is_none() && o.reason == Some("overdue_invoice")));
    let opts = request_options(true, false);
    assert!(opts[2..]
        .iter()
        .all(|o| o.coverage == Some(Coverage::Contract)));
    let opts = request_options(false, false);
    assert!(opts[2..]
        .iter()
        .all(|o| o.coverage == Some(Coverage::PerEvent)));
}

#[test]
fn charging() {
    assert_eq!(charge_hours(0), 0);
    assert_eq!(charge_hours(1), 1);
    assert_eq!(charge_hours(60), 1);
    assert_eq!(charge_hours(61), 2);
    assert_eq!(charge_hours(150), 3);
    assert_eq!(charge_hours(u32::MAX), u32::MAX / 60 + 1);
}

#[test]
fn estimates() {
    assert_eq!(can_authorize_estimate(3, 10), Ok(()));
    assert_eq!(can_authorize_estimate(10, 10), Ok(()));
    let e = can_authorize_estimate(12, 10).unwrap_err();
    assert_eq!(e.code(), "estimate_exceeds_remaining");
    assert_eq!(e.excess_hours(), 2);
    assert!(e.message(Lang::Es).contains("por evento"));
    assert!(e.message(Lang::En).contains("per event"));
    assert_eq!(
        can_authorize_estimate(0, 10).unwrap_err().code(),
        "invalid_estimate"
    );
    assert_eq!(
        can_authorize_estimate(1, 0).unwrap_err().code(),
        "estimate_exceeds_remaining"
    );
}

proptest! {
    #[test]
    fn charge_hours_whole_and_tight(minutes in 0u32..10_000_000) {
        let h = charge_hours(minutes);
        // whole hours covering the work, less than one hour more than it
        prop_assert!(u64::from(h) * 60 >= u64::from(minutes));
        prop_assert!(u64::from(h) * 60 < u64::from(minutes) + 60);
        prop_assert_eq!(h == 0, minutes == 0);
    }

    #[test]
    fn charge_hours_monotonic(a in 0u32..1_000_000, b in 0u32..1_000_000) {
        if a <= b { prop_assert!(charge_hours(a) <= charge_hours(b)); }
        // charging separately never costs less than charging together
        prop_assert!(charge_hours(a) + charge_hours(b) >= charge_hours(a + b));
    }

    #[test]
    fn estimate_rule(e in 0u32..100, r in 0u32..100) {
        prop_assert_eq!(can_authorize_estimate(e, r).is_ok(), e >= 1 && e <= r);
    }

    #[test]
    fn free_categories_never_high(c in 0usize..5, p in 0usize..3, cur: bool, overdue: bool) {
        let category = Category::ALL[c];
        let priority = Priority::ALL[p];
        match check_request(category, priority, cur, overdue) {
            Ok(cov) => {
                prop_assert!(category.is_paid() == (priority == Priority::High));
                prop_assert_eq!(cov == Coverage::Free, !category.is_paid());
                prop_assert!(!(category.is_paid() && overdue));
            }
            Err(e) => prop_assert!(e.field() == "priority" || (overdue && category.is_paid())),
        }
    }
}
