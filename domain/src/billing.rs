//! Paid service, charged honestly (P19–P26): price list and quotes, offers the client
//! authorizes, the gate "no work before authorization", the remote-session checklist, the
//! hours ledger that never goes negative and never refunds, and invoice due dates.
//! Money is integer MXN cents; charged time is whole hours; recorded time is minutes.
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::contract::charge_hours;
use crate::validation::Lang;

pub mod flow;

/// One item of the price list ("tabulador", P20).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceItem {
    pub id: String,
    pub name: String,
    pub standard_hours: u32,
    pub standard_cents: i64,
    /// The price for companies with a current póliza (P20).
    pub preferential_cents: i64,
}

impl PriceItem {
    /// The unit price that applies: preferential only with a current póliza (P20).
    pub fn unit_cents(&self, contract_current: bool) -> i64 {
        if contract_current {
            self.preferential_cents
        } else {
            self.standard_cents
        }
    }
}

/// `$1,234.50 MXN` from integer MXN cents (negative amounts are not shown anywhere).
pub fn format_mxn(cents: i64) -> String {
    let cents = cents.max(0);
    let pesos = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in pesos.chars().enumerate() {
        if i > 0 && (pesos.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("${grouped}.{:02} MXN", cents % 100)
}

/// Pesos as an admin types them ("1,250.50", "$ 800", "0.5") → cents; `None` when it is
/// not an amount (at most two decimals, no sign).
pub fn parse_pesos(text: &str) -> Option<i64> {
    let t = text.trim().replace([',', '$', ' '], "");
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || whole.len() > 12
        || frac.len() > 2
        || !whole
            .chars()
            .chain(frac.chars())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let frac = format!("{frac:0<2}");
    Some(whole.parse::<i64>().ok()? * 100 + frac.parse::<i64>().ok()?)
}

/// Most standard hours of one price-list item, and its highest price (1,000,000 MXN).
pub const MAX_ITEM_HOURS: u32 = 1000;
pub const MAX_PRICE_CENTS: i64 = 100_000_000;

/// An item of the price list as an admin writes it (P20), before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceInput {
    pub name: String,
    pub standard_hours: u32,
    pub standard_cents: i64,
    pub preferential_cents: i64,
}

impl PriceInput {
    /// Checks every field, first problem first: a name of 1–120 characters, 1 to
    /// [`MAX_ITEM_HOURS`] standard hours, prices from 0 to [`MAX_PRICE_CENTS`], and a
    /// preferential price that is never above the standard one (it is the póliza's
    /// benefit, P20).
    pub fn validate(
        name: &str,
        standard_hours: i64,
        standard_cents: i64,
        preferential_cents: i64,
    ) -> Result<PriceInput, crate::validation::FieldError> {
        use crate::validation::FieldError;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(FieldError::new(
                "name",
                "invalid_name",
                "Escribe un nombre de 1 a 120 caracteres.",
                "Write a name of 1 to 120 characters.",
            ));
        }
        if !(1..=MAX_ITEM_HOURS as i64).contains(&standard_hours) {
            return Err(FieldError::new(
                "standard_hours",
                "invalid_hours",
                format!("Las horas estándar van de 1 a {MAX_ITEM_HOURS}."),
                format!("Standard hours go from 1 to {MAX_ITEM_HOURS}."),
            ));
        }
        for (field, cents) in [
            ("standard_cents", standard_cents),
            ("preferential_cents", preferential_cents),
        ] {
            if !(0..=MAX_PRICE_CENTS).contains(&cents) {
                return Err(FieldError::new(
                    field,
                    "invalid_price",
                    "El precio va de $0 a $1,000,000 MXN (en centavos).",
                    "The price goes from $0 to $1,000,000 MXN (in cents).",
                ));
            }
        }
        if preferential_cents > standard_cents {
            return Err(FieldError::new(
                "preferential_cents",
                "preferential_above_standard",
                "El precio preferencial no puede ser mayor que el estándar.",
                "The preferential price cannot be above the standard one.",
            ));
        }
        Ok(PriceInput {
            name: name.to_string(),
            standard_hours: standard_hours as u32,
            standard_cents,
            preferential_cents,
        })
    }

    /// Whether going from `self` to `next` changes a price (a new version) rather than
    /// only the name.
    pub fn prices_differ(&self, next: &PriceInput) -> bool {
        (
            self.standard_hours,
            self.standard_cents,
            self.preferential_cents,
        ) != (
            next.standard_hours,
            next.standard_cents,
            next.preferential_cents,
        )
    }
}

/// A quote line as priced when the quote was made (later price changes do not touch it).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLine {
    pub price_item_id: String,
    pub name: String,
    pub quantity: u32,
    pub unit_cents: i64,
    pub hours: u32,
    pub total_cents: i64,
}

/// Most units of one item in one quote.
pub const MAX_QUANTITY: u32 = 1000;

/// Why a quote, an estimate, an authorization or a time entry is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BillingError {
    #[error("a quote needs at least one item")]
    EmptyQuote,
    #[error("quantity out of range")]
    BadQuantity,
    #[error("unknown price-list item {0}")]
    UnknownItem(String),
    #[error("the terms must be accepted explicitly")]
    TermsNotAccepted,
    #[error("this offer was already decided or replaced")]
    OfferClosed,
    #[error("no work before the client authorizes it")]
    NotAuthorized,
    #[error("the remote-session checklist is incomplete")]
    ChecklistIncomplete,
    #[error("not enough hours left")]
    InsufficientHours { needed: u32, remaining: u32 },
    #[error("minutes out of range")]
    BadMinutes,
    #[error("hours out of range")]
    BadHours,
    #[error("free categories are not charged")]
    FreeService,
    #[error("the ticket is resolved or closed")]
    TicketFinished,
    #[error("the company has no current póliza")]
    NoCurrentContract,
    #[error("no such offer on this ticket")]
    UnknownOffer,
    #[error("the authorized hours are used")]
    EstimateExceeded {
        authorized: u32,
        charged: u32,
        needed: u32,
    },
    #[error("the póliza has fewer hours left than the charge")]
    BalanceTooLow { needed: u32, remaining: u32 },
}

impl BillingError {
    pub fn code(&self) -> &'static str {
        match self {
            BillingError::EmptyQuote => "empty_quote",
            BillingError::BadQuantity => "invalid_quantity",
            BillingError::UnknownItem(_) => "unknown_price_item",
            BillingError::TermsNotAccepted => "terms_not_accepted",
            BillingError::OfferClosed => "offer_closed",
            BillingError::NotAuthorized => "not_authorized",
            BillingError::ChecklistIncomplete => "checklist_incomplete",
            BillingError::InsufficientHours { .. } => "insufficient_hours",
            BillingError::BadMinutes => "invalid_minutes",
            BillingError::BadHours => "invalid_hours",
            BillingError::FreeService => "free_service",
            BillingError::TicketFinished => "ticket_finished",
            BillingError::NoCurrentContract => "contract_not_current",
            BillingError::UnknownOffer => "unknown_offer",
            BillingError::EstimateExceeded { .. } => "estimate_exceeded",
            BillingError::BalanceTooLow { .. } => "insufficient_hours",
        }
    }

    /// The request field the error is about, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            BillingError::EmptyQuote | BillingError::UnknownItem(_) => Some("items"),
            BillingError::BadQuantity => Some("quantity"),
            BillingError::TermsNotAccepted => Some("accept_terms"),
            BillingError::InsufficientHours { .. } | BillingError::BadHours => Some("hours"),
            BillingError::BadMinutes => Some("minutes"),
            BillingError::UnknownOffer => Some("offer_id"),
            _ => None,
        }
    }

    /// Suggested HTTP status: 409 for "not now" (state), 422 for bad input.
    pub fn http_status(&self) -> u16 {
        match self {
            BillingError::OfferClosed
            | BillingError::NotAuthorized
            | BillingError::ChecklistIncomplete
            | BillingError::FreeService
            | BillingError::TicketFinished
            | BillingError::NoCurrentContract
            | BillingError::EstimateExceeded { .. }
            | BillingError::BalanceTooLow { .. } => 409,
            _ => 422,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let es_en: (String, String) = match self {
            BillingError::EmptyQuote => (
                "Agrega al menos un concepto del tabulador.".into(),
                "Add at least one price-list item.".into(),
            ),
            BillingError::BadQuantity => (
                format!("La cantidad debe estar entre 1 y {MAX_QUANTITY}."),
                format!("Quantity must be between 1 and {MAX_QUANTITY}."),
            ),
            BillingError::UnknownItem(id) => (
                format!("El concepto «{id}» no está en el tabulador."),
                format!("Item “{id}” is not on the price list."),
            ),
            BillingError::TermsNotAccepted => (
                "Para autorizar, marca que aceptas las condiciones.".into(),
                "To authorize, tick that you accept the terms.".into(),
            ),
            BillingError::OfferClosed => (
                "Esta propuesta ya fue respondida o reemplazada.".into(),
                "This offer was already answered or replaced.".into(),
            ),
            BillingError::NotAuthorized => (
                "El cliente aún no autoriza este trabajo; no se puede registrar tiempo.".into(),
                "The client has not authorized this work yet; no time can be recorded.".into(),
            ),
            BillingError::ChecklistIncomplete => (
                "Falta completar la lista previa a la sesión remota.".into(),
                "The remote-session checklist is not complete yet.".into(),
            ),
            BillingError::InsufficientHours { needed, remaining } => (
                format!("Se necesitan {needed} h y a la póliza le quedan {remaining} h; el excedente puede cotizarse por evento."),
                format!("{needed} h are needed and the póliza has {remaining} h left; the excess can be quoted per event."),
            ),
            BillingError::BadMinutes => (
                "Los minutos deben estar entre 1 y 1440 por registro.".into(),
                "Minutes must be between 1 and 1440 per entry.".into(),
            ),
            BillingError::BadHours => (
                "Las horas deben ser un número entero entre 1 y 1000.".into(),
                "Hours must be a whole number between 1 and 1000.".into(),
            ),
            BillingError::FreeService => (
                "Este ticket es de una categoría sin costo: no lleva cotización ni cobro de horas.".into(),
                "This ticket is in a free category: it takes no quote and no charged hours.".into(),
            ),
            BillingError::TicketFinished => (
                "El ticket ya está resuelto o cerrado.".into(),
                "The ticket is already resolved or closed.".into(),
            ),
            BillingError::NoCurrentContract => (
                "La empresa no tiene una póliza vigente; envía una cotización por evento.".into(),
                "The company has no current póliza; send a per-event quote instead.".into(),
            ),
            BillingError::UnknownOffer => (
                "Esa propuesta no existe en este ticket.".into(),
                "That offer does not exist on this ticket.".into(),
            ),
            BillingError::EstimateExceeded { authorized, charged, needed } => (
                format!("El cliente autorizó {authorized} h y ya se cobraron {charged} h; este registro cobraría {needed} h más. Envía una nueva estimación."),
                format!("The client authorized {authorized} h and {charged} h are charged; this entry would charge {needed} h more. Send a new estimate."),
            ),
            BillingError::BalanceTooLow { needed, remaining } => (
                format!("Este registro cobraría {needed} h y a la póliza le quedan {remaining} h; cotiza el excedente por evento."),
                format!("This entry would charge {needed} h and the póliza has {remaining} h left; quote the excess per event."),
            ),
        };
        match lang {
            Lang::Es => es_en.0,
            Lang::En => es_en.1,
        }
    }
}

/// Prices a quote from the price list: every line at the price that applies now.
pub fn price_quote(
    list: &[PriceItem],
    wanted: &[(String, u32)],
    contract_current: bool,
) -> Result<Vec<QuoteLine>, BillingError> {
    if wanted.is_empty() {
        return Err(BillingError::EmptyQuote);
    }
    wanted
        .iter()
        .map(|(id, quantity)| {
            if !(1..=MAX_QUANTITY).contains(quantity) {
                return Err(BillingError::BadQuantity);
            }
            let item = list
                .iter()
                .find(|i| i.id == *id)
                .ok_or_else(|| BillingError::UnknownItem(id.clone()))?;
            let unit = item.unit_cents(contract_current);
            Ok(QuoteLine {
                price_item_id: item.id.clone(),
                name: item.name.clone(),
                quantity: *quantity,
                unit_cents: unit,
                hours: item.standard_hours * quantity,
                total_cents: unit * i64::from(*quantity),
            })
        })
        .collect()
}

/// The sum of a quote.
pub fn quote_total(lines: &[QuoteLine]) -> i64 {
    lines.iter().map(|l| l.total_cents).sum()
}

/// Where an offer (a quote or an hours estimate) stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferState {
    Sent,
    Accepted,
    Rejected,
    /// A newer offer on the same ticket replaced it.
    Superseded,
}

impl OfferState {
    /// The stored name (`offers.state`).
    pub fn parse(s: &str) -> Option<OfferState> {
        Some(match s {
            "sent" => OfferState::Sent,
            "accepted" => OfferState::Accepted,
            "rejected" => OfferState::Rejected,
            "superseded" => OfferState::Superseded,
            _ => return None,
        })
    }
}

/// The client's answer to an offer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accept,
    Reject,
}

/// The state after the client decides; immutable afterwards (P23, P24).
pub fn decide(
    state: OfferState,
    decision: Decision,
    accept_terms: bool,
) -> Result<OfferState, BillingError> {
    if state != OfferState::Sent {
        return Err(BillingError::OfferClosed);
    }
    match decision {
        Decision::Accept if !accept_terms => Err(BillingError::TermsNotAccepted),
        Decision::Accept => Ok(OfferState::Accepted),
        Decision::Reject => Ok(OfferState::Rejected),
    }
}

/// Paid work (time entries, remote sessions) needs the latest offer accepted (P23, P24).
pub fn work_allowed(latest_offer: Option<OfferState>) -> Result<(), BillingError> {
    match latest_offer {
        Some(OfferState::Accepted) => Ok(()),
        _ => Err(BillingError::NotAuthorized),
    }
}

/// What the client confirms before a paid remote session (P25, P15).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteChecklist {
    pub teamviewer_installed_as_admin: bool,
    pub teamviewer_id: String,
    pub machine_free: bool,
    pub sleep_and_screensaver_off: bool,
    pub on_mains_power: bool,
    pub responsible_name: String,
    pub responsible_phone: String,
    /// The responsible person can restart the machine and help test devices.
    pub responsible_can_help: bool,
    /// Staff are not liable for damage (P15).
    pub liability_acknowledged: bool,
}

impl RemoteChecklist {
    /// The items still missing, by field name (empty = ready to schedule).
    pub fn missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let flags = [
            (
                self.teamviewer_installed_as_admin,
                "teamviewer_installed_as_admin",
            ),
            (self.machine_free, "machine_free"),
            (self.sleep_and_screensaver_off, "sleep_and_screensaver_off"),
            (self.on_mains_power, "on_mains_power"),
            (self.responsible_can_help, "responsible_can_help"),
            (self.liability_acknowledged, "liability_acknowledged"),
        ];
        out.extend(flags.iter().filter(|(ok, _)| !ok).map(|(_, f)| *f));
        let texts = [
            (&self.teamviewer_id, "teamviewer_id"),
            (&self.responsible_name, "responsible_name"),
            (&self.responsible_phone, "responsible_phone"),
        ];
        out.extend(
            texts
                .iter()
                .filter(|(v, _)| v.trim().is_empty())
                .map(|(_, f)| *f),
        );
        out
    }

    pub fn complete(&self) -> bool {
        self.missing().is_empty()
    }
}

/// A movement of the hours ledger of a póliza. Append-only: corrections are new entries.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    /// The plan's hours when the póliza starts.
    Grant,
    /// Hours charged for a service report (negative).
    Charge,
    /// An admin's compensating entry, with a reason (either sign).
    Correction,
}

impl LedgerKind {
    /// The stored name (`ledger_entries.kind`).
    pub fn parse(s: &str) -> Option<LedgerKind> {
        Some(match s {
            "grant" => LedgerKind::Grant,
            "charge" => LedgerKind::Charge,
            "correction" => LedgerKind::Correction,
            _ => return None,
        })
    }
}

/// Whole hours charged for a service report of `minutes`: rounded up, at least 1 (P22).
pub fn report_hours(minutes: u32) -> Result<u32, BillingError> {
    if minutes == 0 || minutes > 24 * 60 {
        return Err(BillingError::BadMinutes);
    }
    Ok(charge_hours(minutes).max(1))
}

/// The balance after a charge of `hours`, refused if it would go negative (never overdraw).
pub fn deduct(balance: u32, hours: u32) -> Result<u32, BillingError> {
    balance
        .checked_sub(hours)
        .ok_or(BillingError::InsufficientHours {
            needed: hours,
            remaining: balance,
        })
}

/// The balance of a ledger (signed entries; never below zero by construction of `deduct`).
pub fn balance(entries: &[i64]) -> i64 {
    entries.iter().sum()
}

/// Days an invoice for per-event work may wait after delivery (P26).
pub const INVOICE_DAYS: u64 = 6;

/// Due date of an invoice for work delivered on `delivered_on`: 6 calendar days later.
pub fn invoice_due(delivered_on: NaiveDate) -> NaiveDate {
    delivered_on
        .checked_add_days(Days::new(INVOICE_DAYS))
        .unwrap_or(NaiveDate::MAX)
}

/// Overdue = unpaid and past its due date (P26): the company is "with debts".
pub fn is_overdue(paid: bool, due_on: NaiveDate, today: NaiveDate) -> bool {
    !paid && today > due_on
}

#[cfg(test)]
mod price_input_tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_field_is_checked_and_named() {
        let ok = PriceInput::validate(" Visita en sitio ", 2, 150_000, 120_000).unwrap();
        assert_eq!(ok.name, "Visita en sitio");
        let field = |r: Result<PriceInput, crate::validation::FieldError>| r.unwrap_err().field;
        assert_eq!(field(PriceInput::validate("", 2, 1, 1)), "name");
        assert_eq!(
            field(PriceInput::validate(&"x".repeat(121), 2, 1, 1)),
            "name"
        );
        assert_eq!(field(PriceInput::validate("a", 0, 1, 1)), "standard_hours");
        assert_eq!(
            field(PriceInput::validate("a", 1001, 1, 1)),
            "standard_hours"
        );
        assert_eq!(field(PriceInput::validate("a", 1, -1, 0)), "standard_cents");
        assert_eq!(
            field(PriceInput::validate("a", 1, 5, -1)),
            "preferential_cents"
        );
        let above = PriceInput::validate("a", 1, 100, 101).unwrap_err();
        assert_eq!(
            (above.field, above.code),
            ("preferential_cents", "preferential_above_standard")
        );
    }

    #[test]
    fn money_is_grouped_pesos_and_two_cent_digits() {
        assert_eq!(format_mxn(348_000), "$3,480.00 MXN");
        assert_eq!(format_mxn(5), "$0.05 MXN");
        assert_eq!(format_mxn(MAX_PRICE_CENTS), "$1,000,000.00 MXN");
    }

    #[test]
    fn pesos_as_typed_become_cents() {
        assert_eq!(parse_pesos("1,250.50"), Some(125_050));
        assert_eq!(parse_pesos("$ 800"), Some(80_000));
        assert_eq!(parse_pesos("0.5"), Some(50));
        for bad in ["12.345", "abc", "", "-5", "1.x", ".5"] {
            assert_eq!(parse_pesos(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn formatted_money_parses_back(c in 0i64..=MAX_PRICE_CENTS) {
            let shown = format_mxn(c);
            prop_assert_eq!(parse_pesos(shown.trim_end_matches(" MXN")), Some(c));
        }
    }

    #[test]
    fn only_a_price_change_is_a_new_version() {
        let a = PriceInput::validate("Soporte", 1, 100, 80).unwrap();
        let renamed = PriceInput::validate("Soporte remoto", 1, 100, 80).unwrap();
        assert!(!a.prices_differ(&renamed));
        let dearer = PriceInput::validate("Soporte", 1, 120, 80).unwrap();
        assert!(a.prices_differ(&dearer));
    }

    proptest! {
        #[test]
        fn a_valid_item_never_charges_a_poliza_more(
            hours in 1i64..=1000, standard in 0i64..=MAX_PRICE_CENTS, pref in 0i64..=MAX_PRICE_CENTS,
        ) {
            if let Ok(item) = PriceInput::validate("x", hours, standard, pref) {
                prop_assert!(item.preferential_cents <= item.standard_cents);
            } else {
                prop_assert!(pref > standard);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn list() -> Vec<PriceItem> {
        vec![PriceItem {
            id: "p-formateo".into(),
            name: "Formateo".into(),
            standard_hours: 2,
            standard_cents: 80_000,
            preferential_cents: 64_000,
        }]
    }

    #[test]
    fn rounding_of_reports() {
        assert_eq!(report_hours(0), Err(BillingError::BadMinutes));
        for (m, h) in [(1, 1), (59, 1), (60, 1), (61, 2), (600, 10)] {
            assert_eq!(report_hours(m), Ok(h), "{m} minutes");
        }
    }

    #[test]
    fn preferential_prices_only_with_a_current_poliza() {
        let wanted = [("p-formateo".to_string(), 2)];
        let with = price_quote(&list(), &wanted, true).unwrap();
        let without = price_quote(&list(), &wanted, false).unwrap();
        assert_eq!(quote_total(&with), 128_000);
        assert_eq!(quote_total(&without), 160_000);
        assert_eq!(with[0].hours, 4);
        assert_eq!(
            price_quote(&list(), &[], true),
            Err(BillingError::EmptyQuote)
        );
        assert_eq!(
            price_quote(&list(), &[("x".into(), 1)], true),
            Err(BillingError::UnknownItem("x".into()))
        );
        assert_eq!(
            price_quote(&list(), &[("p-formateo".into(), 0)], true),
            Err(BillingError::BadQuantity)
        );
    }

    #[test]
    fn stored_names_parse_back_as_serde_writes_them() {
        for st in [
            OfferState::Sent,
            OfferState::Accepted,
            OfferState::Rejected,
            OfferState::Superseded,
        ] {
            let name = serde_json::to_value(st).unwrap();
            assert_eq!(OfferState::parse(name.as_str().unwrap()), Some(st));
        }
        for k in [
            LedgerKind::Grant,
            LedgerKind::Charge,
            LedgerKind::Correction,
        ] {
            let name = serde_json::to_value(k).unwrap();
            assert_eq!(LedgerKind::parse(name.as_str().unwrap()), Some(k));
        }
        assert_eq!(OfferState::parse("x"), None);
    }

    #[test]
    fn authorization_is_explicit_and_final() {
        assert_eq!(
            decide(OfferState::Sent, Decision::Accept, false),
            Err(BillingError::TermsNotAccepted)
        );
        assert_eq!(
            decide(OfferState::Sent, Decision::Accept, true),
            Ok(OfferState::Accepted)
        );
        assert_eq!(
            decide(OfferState::Sent, Decision::Reject, false),
            Ok(OfferState::Rejected)
        );
        for s in [
            OfferState::Accepted,
            OfferState::Rejected,
            OfferState::Superseded,
        ] {
            assert_eq!(
                decide(s, Decision::Accept, true),
                Err(BillingError::OfferClosed)
            );
        }
        assert_eq!(work_allowed(None), Err(BillingError::NotAuthorized));
        assert_eq!(
            work_allowed(Some(OfferState::Rejected)),
            Err(BillingError::NotAuthorized)
        );
        assert_eq!(work_allowed(Some(OfferState::Accepted)), Ok(()));
    }

    #[test]
    fn checklist_lists_what_is_missing() {
        let mut c = RemoteChecklist::default();
        assert_eq!(c.missing().len(), 9);
        c = RemoteChecklist {
            teamviewer_installed_as_admin: true,
            teamviewer_id: "123 456 789".into(),
            machine_free: true,
            sleep_and_screensaver_off: true,
            on_mains_power: true,
            responsible_name: "Ana".into(),
            responsible_phone: "55 1234 5678".into(),
            responsible_can_help: true,
            liability_acknowledged: false,
        };
        assert_eq!(c.missing(), vec!["liability_acknowledged"]);
    }

    #[test]
    fn invoices_are_due_six_calendar_days_after_delivery() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 28).unwrap();
        assert_eq!(invoice_due(d), NaiveDate::from_ymd_opt(2027, 1, 3).unwrap());
        assert!(!is_overdue(false, invoice_due(d), invoice_due(d)));
        assert!(is_overdue(
            false,
            invoice_due(d),
            NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()
        ));
        assert!(!is_overdue(
            true,
            invoice_due(d),
            NaiveDate::from_ymd_opt(2027, 2, 1).unwrap()
        ));
    }

    proptest! {
        /// Charged hours cover the minutes, waste less than an hour, and are at least 1.
        #[test]
        fn whole_hours_cover_the_minutes(m in 1u32..=1440) {
            let h = report_hours(m).unwrap();
            prop_assert!(h >= 1);
            prop_assert!(h * 60 >= m);
            prop_assert!((h - 1) * 60 < m);
        }

        /// Any sequence of deductions never overdraws, and the refused ones change nothing.
        #[test]
        fn deductions_never_overdraw(start in 0u32..100, charges in proptest::collection::vec(1u32..20, 0..30)) {
            let mut bal = start;
            let mut charged = 0;
            for c in charges {
                match deduct(bal, c) {
                    Ok(next) => { prop_assert_eq!(next + c, bal); charged += c; bal = next; }
                    Err(BillingError::InsufficientHours { needed, remaining }) => {
                        prop_assert_eq!((needed, remaining), (c, bal));
                        prop_assert!(c > bal);
                    }
                    Err(e) => prop_assert!(false, "unexpected {e}"),
                }
            }
            prop_assert_eq!(bal + charged, start);
        }
    }
}
