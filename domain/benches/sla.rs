//! Plain benchmark (no criterion): `cargo bench -p domain --bench sla`.
//! Prints operations per second for due-time computation and for replaying a
//! 100-event ticket timeline.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use domain::calendar::{BusinessCalendar, CalendarSettings, ClockMode};
use domain::sla::{self, PauseReason, Priority, TimelineEvent};

fn measure<F: FnMut(u64) -> u64>(name: &str, min_time: Duration, mut f: F) -> f64 {
    // warm-up
    let mut sink = 0u64;
    for i in 0..1_000 {
        sink = sink.wrapping_add(f(i));
    }
    let mut iters = 0u64;
    let start = Instant::now();
    while start.elapsed() < min_time {
        for _ in 0..1_000 {
            sink = sink.wrapping_add(f(iters));
            iters += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let ops = iters as f64 / secs;
    black_box(sink);
    println!(
        "{name:<48} {ops:>14.0} ops/s  ({:.1} ns/op, {iters} iterations)",
        1e9 / ops
    );
    ops
}

fn timeline(start: DateTime<Utc>) -> Vec<TimelineEvent> {
    let mut at = start;
    let mut out = Vec::with_capacity(100);
    for i in 0..100 {
        at += chrono::Duration::minutes(97 + (i as i64 * 37) % 600);
        out.push(match i % 6 {
            0 => TimelineEvent::ClientMessage { at },
            1 => TimelineEvent::Paused {
                at,
                reason: PauseReason::ALL[i % 3],
            },
            2 => TimelineEvent::Resumed { at },
            3 => TimelineEvent::StaffReply { at },
            4 => TimelineEvent::ClientMessage { at },
            _ => TimelineEvent::StaffReply { at },
        });
    }
    out
}

fn main() {
    let min_time = Duration::from_millis(
        std::env::var("BENCH_MS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1500),
    );
    let base = DateTime::parse_from_rfc3339("2026-12-20T10:00:00-06:00")
        .unwrap()
        .with_timezone(&Utc);
    let mut settings = CalendarSettings::default();
    settings
        .added
        .insert("2026-12-12".parse().unwrap(), "Día de la Virgen".into());
    settings
        .added
        .insert("2027-04-01".parse().unwrap(), "Jueves Santo".into());
    let cal = BusinessCalendar::new(settings.clone());
    let office = BusinessCalendar::new(CalendarSettings {
        clock: ClockMode::OfficeHours,
        ..settings
    });

    // spread `from` over ~4 months in steps of 7 min 13 s so weekends/holidays are hit
    let from = |i: u64| base + chrono::Duration::seconds(((i * 433) % 10_000_000) as i64);
    let prios = Priority::ALL;

    let due = measure("due_at (working_days, mixed priorities)", min_time, |i| {
        sla::due_at(black_box(&cal), prios[(i % 3) as usize], from(i)).timestamp() as u64
    });
    measure("due_at (office_hours, mixed priorities)", min_time, |i| {
        sla::due_at(black_box(&office), prios[(i % 3) as usize], from(i)).timestamp() as u64
    });
    measure("working_minutes_between (2-day span)", min_time, |i| {
        let a = from(i);
        cal.working_minutes_between(a, a + chrono::Duration::hours(50)) as u64
    });
    measure("reopen_deadline (5 working days)", min_time, |i| {
        cal.reopen_deadline(from(i), 5).timestamp() as u64
    });
    let tl = timeline(base);
    let now = tl.last().unwrap().at() + chrono::Duration::hours(5);
    measure("sla::compute (100-event timeline)", min_time, |i| {
        let s = sla::compute(
            black_box(&cal),
            prios[(i % 3) as usize],
            black_box(&tl),
            now,
        );
        s.targets.len() as u64
    });
    println!(
        "target ≥ 1,000,000 due computations/s: {}",
        if due >= 1e6 { "met" } else { "NOT met" }
    );
}
