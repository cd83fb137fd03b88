//! What the scheduled sweeps of the warranty end (P18), the pólizas (P19, P22) and the
//! invoices (P26) select (issue 11). The Worker's SQL only compares columns with the values
//! these functions give, so "which day counts", "80 %" and "overdue" are decided here.
//!
//! * **Warranty end**: `reopen_until` is exclusive ([`crate::sla::reopen_deadline`]), so a
//!   ticket is final once `now >= reopen_until` ([`warranty_ended`]).
//! * **Póliza expiring**: 30 calendar days before [`Contract::expires_on`], by the office's
//!   date: on `today` the pólizas whose `expires_on` is in `(today, today + 30]` are told.
//! * **Póliza expired**: by date (`expires_on <= today`, within [`CATCH_UP_DAYS`] so years-old
//!   history is not announced) or by hours (`hours_used >= hours_total`).
//! * **80 % of the hours**: `hours_used * 100 >= hours_total * 80` while some are left.
//! * **Invoice overdue**: unpaid and `today > due_on` ([`crate::billing::is_overdue`]).
use chrono::{Days, Months, NaiveDate};

use crate::contract::Contract;

/// Days before the expiry date a póliza's holders are told (P19).
pub const EXPIRY_NOTICE_DAYS: u64 = 30;
/// Share of the hours after which the holders are told (P22).
pub const HOURS_NOTICE_PERCENT: i64 = 80;
/// A póliza that expired by date longer ago than this is history, not news.
pub const CATCH_UP_DAYS: u64 = 30;

/// The correction warranty (P18) is over: `reopen_until` is the first instant without it.
pub fn warranty_ended<T: PartialOrd>(reopen_until: &T, now: &T) -> bool {
    now >= reopen_until
}

/// The expiry date of a póliza starting on `starts_on` (see [`Contract::expires_on`]).
pub fn expires_on(starts_on: NaiveDate) -> NaiveDate {
    Contract::new(crate::contract::Plan::Basica, starts_on).expires_on()
}

/// The latest start date whose póliza expires on or before `day`. `expires_on` never goes
/// down as the start moves later, so `expires_on(s) <= day` ⇔ `s <= latest_start_expiring_by(day)`
/// and SQL can compare `starts_on` (a date string) with it.
pub fn latest_start_expiring_by(day: NaiveDate) -> NaiveDate {
    let mut s = day
        .checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    // A year back lands on Feb 28 when `day` is Feb 28 of a year after a leap year; the
    // Feb 29 start also expires on that day.
    while let Some(next) = s.succ_opt() {
        if expires_on(next) <= day {
            s = next;
        } else {
            break;
        }
    }
    while expires_on(s) > day {
        match s.pred_opt() {
            Some(p) => s = p,
            None => break,
        }
    }
    s
}

/// The start-date bounds the póliza rules filter by on `today` (office date). Every bound
/// is inclusive and compared with `contracts.starts_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolizaWindow {
    /// Expiring soon: `starts_on` in `(expired_through, expiring_through]`.
    pub expiring_through: NaiveDate,
    /// Expired by date: `starts_on` in `[expired_from, expired_through]`.
    pub expired_through: NaiveDate,
    pub expired_from: NaiveDate,
    /// A póliza has started: `starts_on <= today`.
    pub today: NaiveDate,
}

pub fn poliza_window(today: NaiveDate) -> PolizaWindow {
    let ahead = today
        .checked_add_days(Days::new(EXPIRY_NOTICE_DAYS))
        .unwrap_or(NaiveDate::MAX);
    let back = today
        .checked_sub_days(Days::new(CATCH_UP_DAYS))
        .unwrap_or(NaiveDate::MIN);
    PolizaWindow {
        expiring_through: latest_start_expiring_by(ahead),
        expired_through: latest_start_expiring_by(today),
        // Expired on `back` or later: the start after the latest one expiring by `back - 1`.
        expired_from: back
            .pred_opt()
            .map(latest_start_expiring_by)
            .and_then(|d| d.succ_opt())
            .unwrap_or(NaiveDate::MIN),
        today,
    }
}

/// What a póliza's holders are to be told on `today`, the rule the SQL implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolizaNotice {
    Expiring,
    HoursLow,
    ExpiredByDate,
    ExpiredByHours,
}

pub fn hours_low(used: i64, total: i64) -> bool {
    total > 0 && used < total && used * 100 >= total * HOURS_NOTICE_PERCENT
}

pub fn hours_used_up(used: i64, total: i64) -> bool {
    used >= total
}

/// The notices a started póliza deserves on `today` (reference for the SQL and its tests).
pub fn poliza_notices(c: &Contract, today: NaiveDate) -> Vec<PolizaNotice> {
    let mut out = Vec::new();
    if c.starts_on > today {
        return out;
    }
    let exp = c.expires_on();
    let (used, total) = (c.hours_used as i64, c.hours_total as i64);
    let back = today
        .checked_sub_days(Days::new(CATCH_UP_DAYS))
        .unwrap_or(NaiveDate::MIN);
    if exp <= today {
        if exp >= back {
            out.push(PolizaNotice::ExpiredByDate);
        }
        return out;
    }
    if hours_used_up(used, total) {
        out.push(PolizaNotice::ExpiredByHours);
        return out;
    }
    if hours_low(used, total) {
        out.push(PolizaNotice::HoursLow);
    }
    let ahead = today
        .checked_add_days(Days::new(EXPIRY_NOTICE_DAYS))
        .unwrap_or(NaiveDate::MAX);
    if exp <= ahead {
        out.push(PolizaNotice::Expiring);
    }
    out
}

/// Invoices whose `due_on` is before this date are overdue on `today` (P26): `today > due_on`.
pub fn overdue_if_due_before(today: NaiveDate) -> NaiveDate {
    today
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Plan;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn warranty_ends_at_its_exclusive_deadline() {
        assert!(!warranty_ended(
            &"2026-12-31T06:00:00Z",
            &"2026-12-31T05:59:59Z"
        ));
        assert!(warranty_ended(
            &"2026-12-31T06:00:00Z",
            &"2026-12-31T06:00:00Z"
        ));
    }

    #[test]
    fn leap_day_starts_expire_on_feb_28() {
        assert_eq!(expires_on(d(2024, 2, 29)), d(2025, 2, 28));
        assert_eq!(latest_start_expiring_by(d(2025, 2, 28)), d(2024, 2, 29));
        assert_eq!(latest_start_expiring_by(d(2027, 3, 1)), d(2026, 3, 1));
    }

    #[test]
    fn thirty_days_before_by_date() {
        // Starts 2026-01-15 → expires 2027-01-15; told from 2026-12-16 (30 days before).
        let c = Contract::new(Plan::Basica, d(2026, 1, 15));
        assert!(poliza_notices(&c, d(2026, 12, 15)).is_empty());
        assert_eq!(
            poliza_notices(&c, d(2026, 12, 16)),
            vec![PolizaNotice::Expiring]
        );
        assert_eq!(
            poliza_notices(&c, d(2027, 1, 15)),
            vec![PolizaNotice::ExpiredByDate]
        );
        // Long expired: history, not news.
        assert!(poliza_notices(&c, d(2027, 3, 1)).is_empty());
        let w = poliza_window(d(2026, 12, 16));
        assert!(c.starts_on <= w.expiring_through && c.starts_on > w.expired_through);
    }

    #[test]
    fn hours_80_percent_and_used_up() {
        let mut c = Contract::new(Plan::Basica, d(2026, 6, 1));
        c.hours_used = 7;
        assert!(poliza_notices(&c, d(2026, 7, 1)).is_empty());
        c.hours_used = 8;
        assert_eq!(
            poliza_notices(&c, d(2026, 7, 1)),
            vec![PolizaNotice::HoursLow]
        );
        c.hours_used = 10;
        assert_eq!(
            poliza_notices(&c, d(2026, 7, 1)),
            vec![PolizaNotice::ExpiredByHours]
        );
        assert!(hours_low(12, 15) && !hours_low(11, 15));
    }

    #[test]
    fn overdue_matches_billing() {
        let today = d(2026, 12, 10);
        for due in [d(2026, 12, 9), d(2026, 12, 10), d(2026, 12, 11)] {
            assert_eq!(
                due < overdue_if_due_before(today),
                crate::billing::is_overdue(false, due, today)
            );
        }
    }

    proptest! {
        #[test]
        fn sql_bounds_agree_with_the_rule(start in 0i64..3000, today in 0i64..3500) {
            let base = d(2024, 1, 1);
            let starts_on = base + chrono::Duration::days(start);
            let today = base + chrono::Duration::days(today);
            let c = Contract::new(Plan::Basica, starts_on);
            let w = poliza_window(today);
            let notices = poliza_notices(&c, today);
            let started = starts_on <= w.today;
            let expired = started && starts_on >= w.expired_from && starts_on <= w.expired_through;
            let expiring = started && starts_on > w.expired_through && starts_on <= w.expiring_through;
            prop_assert_eq!(expired, notices.contains(&PolizaNotice::ExpiredByDate));
            prop_assert_eq!(expiring, notices.contains(&PolizaNotice::Expiring));
        }
    }
}
