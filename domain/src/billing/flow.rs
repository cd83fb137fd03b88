//! The paid-service workflow inside a ticket (issue 13; P18, P22–P26): which offer may be
//! sent or decided, what a time entry charges, what completing the service bills. Pure: the
//! Worker passes the facts it read; SQL guards re-check the balance under concurrency.
use chrono::NaiveDate;

use super::{
    decide, format_mxn, invoice_due, report_hours, BillingError, Decision, OfferState,
    MAX_ITEM_HOURS,
};
use crate::api::billing::OfferKind;
use crate::contract::{can_authorize_estimate, ContractStatus, Coverage, NotCurrentReason};
use crate::ticket::Status;

/// An offer of the ticket as billing needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferFacts {
    pub id: String,
    pub kind: OfferKind,
    pub state: OfferState,
    pub hours: u32,
    pub total_cents: i64,
    /// An accepted quote already billed by an invoice.
    pub invoiced: bool,
}

/// The ticket as billing sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaidTicket<'a> {
    pub coverage: Coverage,
    pub status: Status,
    /// Newest first.
    pub offers: &'a [OfferFacts],
    /// Whole hours charged to the póliza on this ticket so far.
    pub charged_hours: u32,
    /// The service was completed once (its summary was sent).
    pub completed: bool,
    /// A remote-assistance ticket: paid work is a remote session, which needs the client's
    /// checklist complete first (P25).
    pub remote: bool,
    pub checklist_complete: bool,
}

/// The company's póliza (the latest one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poliza {
    pub id: String,
    pub status: ContractStatus,
}

impl PaidTicket<'_> {
    pub fn latest(&self) -> Option<&OfferFacts> {
        self.offers.first()
    }

    /// Hours the client authorized on this ticket (accepted estimates).
    pub fn authorized_hours(&self) -> u32 {
        self.offers
            .iter()
            .filter(|o| o.kind == OfferKind::Estimate && o.state == OfferState::Accepted)
            .map(|o| o.hours)
            .sum()
    }

    /// Paid work may go on: the latest offer is accepted (P23, P24).
    pub fn work_allowed(&self) -> bool {
        self.under_warranty() || super::work_allowed(self.latest().map(|o| o.state)).is_ok()
    }

    /// Completed, then reopened inside the warranty: further work is free (P18).
    pub fn under_warranty(&self) -> bool {
        self.completed && self.status.is_open()
    }

    fn require_paid_and_open(&self) -> Result<(), BillingError> {
        if self.coverage == Coverage::Free {
            Err(BillingError::FreeService)
        } else if !self.status.is_open() {
            Err(BillingError::TicketFinished)
        } else {
            Ok(())
        }
    }
}

/// A quote may be sent on any open paid ticket (also for a póliza's excess, P24).
pub fn check_quote(t: &PaidTicket<'_>) -> Result<(), BillingError> {
    t.require_paid_and_open()
}

/// The póliza hours may pay: current, or current but for having no hours left.
fn chargeable(p: Option<&Poliza>) -> Result<&Poliza, BillingError> {
    match p {
        Some(p) if p.status.current => Ok(p),
        Some(p) if p.status.reason == Some(NotCurrentReason::HoursUsedUp) => Ok(p),
        _ => Err(BillingError::NoCurrentContract),
    }
}

/// An estimate of `hours` whole hours against the póliza (P24): 1–1000 and not above what
/// is left (422 on `hours`; the excess goes per event).
pub fn check_estimate(
    t: &PaidTicket<'_>,
    hours: i64,
    poliza: Option<&Poliza>,
) -> Result<u32, BillingError> {
    t.require_paid_and_open()?;
    let hours = u32::try_from(hours)
        .ok()
        .filter(|h| (1..=MAX_ITEM_HOURS).contains(h))
        .ok_or(BillingError::BadHours)?;
    let p = chargeable(poliza)?;
    let remaining = p.status.remaining_hours;
    can_authorize_estimate(hours, remaining).map_err(|_| BillingError::InsufficientHours {
        needed: hours,
        remaining,
    })?;
    Ok(hours)
}

/// The client's answer to offer `offer_id` (P23, P24): only the offer waiting for them, with
/// the terms accepted explicitly; an estimate still has to fit in the póliza.
pub fn decide_offer<'t>(
    t: &PaidTicket<'t>,
    offer_id: &str,
    decision: Decision,
    accept_terms: bool,
    poliza: Option<&Poliza>,
) -> Result<(&'t OfferFacts, OfferState), BillingError> {
    let offer = t
        .offers
        .iter()
        .find(|o| o.id == offer_id)
        .ok_or(BillingError::UnknownOffer)?;
    if t.status != Status::AwaitingAuthorization {
        return Err(BillingError::OfferClosed);
    }
    let next = decide(offer.state, decision, accept_terms)?;
    if next == OfferState::Accepted && offer.kind == OfferKind::Estimate {
        let p = chargeable(poliza)?;
        let remaining = p.status.remaining_hours;
        if offer.hours > remaining {
            return Err(BillingError::InsufficientHours {
                needed: offer.hours,
                remaining,
            });
        }
    }
    Ok((offer, next))
}

/// What a time entry (one service report) costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeCharge {
    /// The accepted offer the work belongs to.
    pub offer_id: String,
    pub minutes: u32,
    /// Whole hours deducted from the póliza (0: per-event work, or the warranty).
    pub charged_hours: u32,
    pub warranty: bool,
    /// The póliza to deduct from, when hours are charged.
    pub contract_id: Option<String>,
}

/// A time entry of `minutes` (P22–P24): only after an accepted offer; on an estimate it is
/// charged in whole hours (rounded up, at least 1) within the authorized hours and the
/// póliza's balance; per-event work is invoiced by its quote; warranty work is free (P18).
pub fn plan_time(
    t: &PaidTicket<'_>,
    minutes: i64,
    poliza: Option<&Poliza>,
) -> Result<TimeCharge, BillingError> {
    t.require_paid_and_open()?;
    let minutes = u32::try_from(minutes).map_err(|_| BillingError::BadMinutes)?;
    let hours = report_hours(minutes)?;
    let accepted = t.offers.iter().find(|o| o.state == OfferState::Accepted);
    if t.under_warranty() {
        let offer = accepted.ok_or(BillingError::NotAuthorized)?;
        return Ok(TimeCharge {
            offer_id: offer.id.clone(),
            minutes,
            charged_hours: 0,
            warranty: true,
            contract_id: None,
        });
    }
    super::work_allowed(t.latest().map(|o| o.state))?;
    if t.remote && !t.checklist_complete {
        return Err(BillingError::ChecklistIncomplete);
    }
    let offer = t.latest().ok_or(BillingError::NotAuthorized)?;
    if offer.kind == OfferKind::Quote {
        return Ok(TimeCharge {
            offer_id: offer.id.clone(),
            minutes,
            charged_hours: 0,
            warranty: false,
            contract_id: None,
        });
    }
    let authorized = t.authorized_hours();
    if t.charged_hours + hours > authorized {
        return Err(BillingError::EstimateExceeded {
            authorized,
            charged: t.charged_hours,
            needed: hours,
        });
    }
    let p = chargeable(poliza)?;
    super::deduct(p.status.remaining_hours, hours).map_err(|_| BillingError::BalanceTooLow {
        needed: hours,
        remaining: p.status.remaining_hours,
    })?;
    Ok(TimeCharge {
        offer_id: offer.id.clone(),
        minutes,
        charged_hours: hours,
        warranty: false,
        contract_id: Some(p.id.clone()),
    })
}

/// What completing the service bills (P26).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Accepted quotes not invoiced yet: this invoice bills them.
    pub quote_ids: Vec<String>,
    pub amount_cents: i64,
    /// Hours charged to the póliza on the ticket.
    pub hours_charged: u32,
    /// Completing again after a reopening inside the warranty: nothing more is charged.
    pub warranty: bool,
    /// The invoice's delivery and due dates, when there is something to invoice.
    pub invoice: Option<(NaiveDate, NaiveDate)>,
}

/// Completing the service on `today`: the accepted work must exist (or the warranty applies);
/// per-event work is invoiced once, due 6 calendar days after delivery.
pub fn plan_completion(t: &PaidTicket<'_>, today: NaiveDate) -> Result<Completion, BillingError> {
    t.require_paid_and_open()?;
    if !t.work_allowed() {
        return Err(BillingError::NotAuthorized);
    }
    let warranty = t.under_warranty();
    let quotes: Vec<&OfferFacts> = if warranty {
        vec![]
    } else {
        t.offers
            .iter()
            .filter(|o| o.kind == OfferKind::Quote && o.state == OfferState::Accepted)
            .filter(|o| !o.invoiced)
            .collect()
    };
    let amount_cents = quotes.iter().map(|o| o.total_cents).sum();
    Ok(Completion {
        quote_ids: quotes.iter().map(|o| o.id.clone()).collect(),
        amount_cents,
        hours_charged: t.charged_hours,
        warranty,
        invoice: (!quotes.is_empty()).then(|| (today, invoice_due(today))),
    })
}

/// The charges line of the completion summary, in both languages.
pub fn completion_charges(c: &Completion, purged_credentials: bool) -> (String, String) {
    let mut es = vec![format!(
        "Resumen del servicio: {} h cobradas de la póliza en este ticket.",
        c.hours_charged
    )];
    let mut en = vec![format!(
        "Service summary: {} h charged to the póliza on this ticket.",
        c.hours_charged
    )];
    if c.warranty {
        es.push("Este trabajo está dentro de la garantía: no genera cargos adicionales.".into());
        en.push("This work is under the warranty: it adds no charges.".into());
    }
    if let Some((_, due)) = c.invoice {
        es.push(format!(
            "Importe por evento: {}; la factura vence el {due}.",
            format_mxn(c.amount_cents)
        ));
        en.push(format!(
            "Per-event amount: {}; the invoice is due on {due}.",
            format_mxn(c.amount_cents)
        ));
    }
    if purged_credentials {
        es.push(CREDENTIALS_REMINDER.0.into());
        en.push(CREDENTIALS_REMINDER.1.into());
    }
    (es.join(" "), en.join(" "))
}

/// Said when the credentials shared in a ticket are erased (P15).
pub const CREDENTIALS_REMINDER: (&str, &str) = (
    "Borramos las credenciales de acceso que compartiste en este ticket; te recomendamos cambiar esas contraseñas.",
    "We erased the access credentials you shared in this ticket; we recommend changing those passwords.",
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn poliza(remaining: u32) -> Poliza {
        let reason = (remaining == 0).then_some(NotCurrentReason::HoursUsedUp);
        Poliza {
            id: "k1".into(),
            status: ContractStatus {
                current: reason.is_none(),
                reason,
                expires_on: NaiveDate::from_ymd_opt(2027, 6, 1).unwrap(),
                remaining_hours: remaining,
            },
        }
    }

    fn offer(id: &str, kind: OfferKind, state: OfferState, hours: u32) -> OfferFacts {
        OfferFacts {
            id: id.into(),
            kind,
            state,
            hours,
            total_cents: 10_000 * i64::from(hours),
            invoiced: false,
        }
    }

    fn ticket(offers: &[OfferFacts], status: Status, charged: u32) -> PaidTicket<'_> {
        PaidTicket {
            coverage: Coverage::Contract,
            status,
            offers,
            charged_hours: charged,
            completed: false,
            remote: false,
            checklist_complete: false,
        }
    }

    #[test]
    fn estimates_fit_in_the_poliza() {
        let t = ticket(&[], Status::Open, 0);
        assert_eq!(check_estimate(&t, 3, Some(&poliza(5))), Ok(3));
        assert_eq!(
            check_estimate(&t, 6, Some(&poliza(5))),
            Err(BillingError::InsufficientHours {
                needed: 6,
                remaining: 5
            })
        );
        assert_eq!(
            check_estimate(&t, 6, Some(&poliza(5))).unwrap_err().field(),
            Some("hours")
        );
        for bad in [0, -1, 1001] {
            assert_eq!(
                check_estimate(&t, bad, Some(&poliza(5))),
                Err(BillingError::BadHours)
            );
        }
        assert_eq!(
            check_estimate(&t, 1, None),
            Err(BillingError::NoCurrentContract)
        );
        let free = PaidTicket {
            coverage: Coverage::Free,
            ..t
        };
        assert_eq!(check_quote(&free), Err(BillingError::FreeService));
    }

    #[test]
    fn no_time_before_authorization() {
        let sent = [offer("o1", OfferKind::Estimate, OfferState::Sent, 2)];
        let t = ticket(&sent, Status::AwaitingAuthorization, 0);
        assert_eq!(
            plan_time(&t, 30, Some(&poliza(5))),
            Err(BillingError::NotAuthorized)
        );
        let none = ticket(&[], Status::Open, 0);
        assert_eq!(
            plan_time(&none, 30, Some(&poliza(5))),
            Err(BillingError::NotAuthorized)
        );
        let rejected = [offer("o1", OfferKind::Quote, OfferState::Rejected, 2)];
        assert_eq!(
            plan_completion(&ticket(&rejected, Status::Open, 0), day()),
            Err(BillingError::NotAuthorized)
        );
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 28).unwrap()
    }

    #[test]
    fn time_is_charged_in_whole_hours_within_the_authorization() {
        let ok = [offer("o1", OfferKind::Estimate, OfferState::Accepted, 3)];
        let t = ticket(&ok, Status::Open, 0);
        let c = plan_time(&t, 61, Some(&poliza(5))).unwrap();
        assert_eq!((c.charged_hours, c.contract_id.as_deref()), (2, Some("k1")));
        let t = ticket(&ok, Status::Open, 2);
        assert_eq!(
            plan_time(&t, 61, Some(&poliza(3))),
            Err(BillingError::EstimateExceeded {
                authorized: 3,
                charged: 2,
                needed: 2
            })
        );
        let t = ticket(&ok, Status::Open, 0);
        assert_eq!(
            plan_time(&t, 120, Some(&poliza(1))),
            Err(BillingError::BalanceTooLow {
                needed: 2,
                remaining: 1
            })
        );
        assert_eq!(
            plan_time(&t, 0, Some(&poliza(5))),
            Err(BillingError::BadMinutes)
        );
    }

    #[test]
    fn a_remote_session_needs_the_checklist() {
        let ok = [offer("o1", OfferKind::Estimate, OfferState::Accepted, 3)];
        let t = PaidTicket {
            remote: true,
            ..ticket(&ok, Status::Open, 0)
        };
        assert_eq!(
            plan_time(&t, 30, Some(&poliza(5))),
            Err(BillingError::ChecklistIncomplete)
        );
        let ready = PaidTicket {
            checklist_complete: true,
            ..t
        };
        assert_eq!(
            plan_time(&ready, 30, Some(&poliza(5)))
                .unwrap()
                .charged_hours,
            1
        );
    }

    #[test]
    fn per_event_work_is_invoiced_once_due_in_six_days() {
        let q = [offer("q1", OfferKind::Quote, OfferState::Accepted, 2)];
        let t = PaidTicket {
            coverage: Coverage::PerEvent,
            ..ticket(&q, Status::Open, 0)
        };
        assert_eq!(plan_time(&t, 90, None).unwrap().charged_hours, 0);
        let c = plan_completion(&t, day()).unwrap();
        assert_eq!(c.amount_cents, 20_000);
        assert_eq!(
            c.invoice,
            Some((day(), NaiveDate::from_ymd_opt(2027, 1, 3).unwrap()))
        );
        // Reopened inside the warranty: free work, nothing invoiced again.
        let again = PaidTicket {
            completed: true,
            ..t
        };
        let w = plan_time(&again, 30, None).unwrap();
        assert!(w.warranty && w.charged_hours == 0);
        let c = plan_completion(&again, day()).unwrap();
        assert_eq!((c.amount_cents, c.invoice), (0, None));
    }

    #[test]
    fn decisions_only_on_the_waiting_offer() {
        let offers = [
            offer("o2", OfferKind::Estimate, OfferState::Sent, 4),
            offer("o1", OfferKind::Quote, OfferState::Superseded, 1),
        ];
        let t = ticket(&offers, Status::AwaitingAuthorization, 0);
        assert_eq!(
            decide_offer(&t, "o2", Decision::Accept, true, Some(&poliza(4))).map(|r| r.1),
            Ok(OfferState::Accepted)
        );
        assert_eq!(
            decide_offer(&t, "o2", Decision::Accept, true, Some(&poliza(3))).map(|r| r.1),
            Err(BillingError::InsufficientHours {
                needed: 4,
                remaining: 3
            })
        );
        assert_eq!(
            decide_offer(&t, "o1", Decision::Accept, true, None).map(|r| r.1),
            Err(BillingError::OfferClosed)
        );
        assert_eq!(
            decide_offer(&t, "zz", Decision::Reject, false, None).map(|r| r.1),
            Err(BillingError::UnknownOffer)
        );
        let withdrawn = ticket(&offers, Status::Open, 0);
        assert_eq!(
            decide_offer(&withdrawn, "o2", Decision::Reject, false, None).map(|r| r.1),
            Err(BillingError::OfferClosed)
        );
    }

    proptest! {
        /// Whatever the entries, the hours charged on a ticket never pass what the client
        /// authorized nor what the póliza had.
        #[test]
        fn charges_stay_within_authorization_and_balance(
            authorized in 1u32..20, start in 0u32..25, entries in proptest::collection::vec(1i64..400, 0..15),
        ) {
            let offers = [offer("o1", OfferKind::Estimate, OfferState::Accepted, authorized)];
            let (mut charged, mut remaining) = (0u32, start);
            for m in entries {
                let t = ticket(&offers, Status::Open, charged);
                if let Ok(c) = plan_time(&t, m, Some(&poliza(remaining))) {
                    prop_assert_eq!(c.charged_hours, report_hours(m as u32).unwrap());
                    charged += c.charged_hours;
                    remaining -= c.charged_hours;
                }
                prop_assert!(charged <= authorized);
                prop_assert_eq!(charged + remaining, start);
            }
        }
    }
}
