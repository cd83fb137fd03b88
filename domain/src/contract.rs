//! Services, pólizas (contracts) and what a company may request (SPEC P2, P3,
//! P19, P21, P22, P24).
//!
//! Conventions:
//! * A póliza runs from `starts_on` (inclusive) to [`Contract::expires_on`]
//!   (exclusive) = the same calendar date one year later (Feb 29 → Feb 28).
//! * Current = started, not expired by date, hours left (`hours_used < hours_total`)
//!   and no overdue invoice. When several reasons apply, the first of
//!   not-started, expired, hours-used-up, overdue-invoice is reported.
//! * Hours are charged per service report in whole hours, rounded up
//!   ([`charge_hours`]); consumption is stored in whole hours.

use std::str::FromStr;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::sla::Priority;
use crate::validation::{FieldError, Lang};

/// Kind of service a company has with us (P2).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    Hosting,
    Email,
    Domain,
    DevelopedSystem,
    WebSite,
    Softlik,
}

impl ServiceKind {
    pub const ALL: [ServiceKind; 6] = [
        ServiceKind::Hosting,
        ServiceKind::Email,
        ServiceKind::Domain,
        ServiceKind::DevelopedSystem,
        ServiceKind::WebSite,
        ServiceKind::Softlik,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Hosting => "hosting",
            ServiceKind::Email => "email",
            ServiceKind::Domain => "domain",
            ServiceKind::DevelopedSystem => "developed_system",
            ServiceKind::WebSite => "web_site",
            ServiceKind::Softlik => "softlik",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ServiceKind::Hosting, Lang::Es) => "Hospedaje",
            (ServiceKind::Email, Lang::Es) => "Correo electrónico",
            (ServiceKind::Domain, Lang::Es) => "Dominio",
            (ServiceKind::DevelopedSystem, Lang::Es) => "Sistema desarrollado",
            (ServiceKind::WebSite, Lang::Es) => "Sitio web",
            (ServiceKind::Softlik, Lang::Es) => "Software Softlik",
            (ServiceKind::Hosting, Lang::En) => "Hosting",
            (ServiceKind::Email, Lang::En) => "E-mail",
            (ServiceKind::Domain, Lang::En) => "Domain",
            (ServiceKind::DevelopedSystem, Lang::En) => "Custom-built system",
            (ServiceKind::WebSite, Lang::En) => "Web site",
            (ServiceKind::Softlik, Lang::En) => "Softlik software",
        }
    }
}

impl FromStr for ServiceKind {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        ServiceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                FieldError::new(
                    "kind",
                    "invalid_kind",
                    "El tipo de servicio no es válido.",
                    "Invalid service kind.",
                )
            })
    }
}

/// Lifecycle of a service (P2).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceStatus {
    Active,
    /// Cancelled by the client.
    Ended,
    /// Retired by us.
    EndOfLife,
}

impl ServiceStatus {
    pub const ALL: [ServiceStatus; 3] = [
        ServiceStatus::Active,
        ServiceStatus::Ended,
        ServiceStatus::EndOfLife,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ServiceStatus::Active => "active",
            ServiceStatus::Ended => "ended",
            ServiceStatus::EndOfLife => "end_of_life",
        }
    }
}

impl FromStr for ServiceStatus {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        ServiceStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                FieldError::new(
                    "status",
                    "invalid_status",
                    "El estado del servicio no es válido.",
                    "Invalid service status.",
                )
            })
    }
}

/// Why a service gets no support (P2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ineligible {
    #[error("the service was cancelled")]
    ServiceEnded,
    #[error("the service reached its end of life")]
    ServiceEndOfLife,
}

impl Ineligible {
    pub fn code(&self) -> &'static str {
        match self {
            Ineligible::ServiceEnded => "service_ended",
            Ineligible::ServiceEndOfLife => "service_end_of_life",
        }
    }

    pub fn message(&self, lang: Lang) -> &'static str {
        match self {
            Ineligible::ServiceEnded => lang.pick(
                "Este servicio fue cancelado, por lo que ya no recibe soporte. Si necesitas ayuda, contrata una póliza o un contrato especial.",
                "This service was cancelled, so it no longer receives support. To get help, take out a support contract (póliza) or a special contract.",
            ),
            Ineligible::ServiceEndOfLife => lang.pick(
                "Este servicio llegó al fin de su vida útil y ya no recibe soporte, salvo con una póliza vigente o un contrato especial.",
                "This service has reached its end of life and no longer receives support, except under a current póliza or a special contract.",
            ),
        }
    }
}

/// May a company open tickets about a service in `status` (P2)?
/// Active services always; ended / end-of-life ones only with a special
/// contract covering them or a current póliza.
pub fn eligibility(
    service_status: ServiceStatus,
    has_special_contract: bool,
    contract_current: bool,
) -> Result<(), Ineligible> {
    match service_status {
        ServiceStatus::Active => Ok(()),
        _ if has_special_contract || contract_current => Ok(()),
        ServiceStatus::Ended => Err(Ineligible::ServiceEnded),
        ServiceStatus::EndOfLife => Err(Ineligible::ServiceEndOfLife),
    }
}

/// Ticket category (P3).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Question,
    Incident,
    SupportCase,
    RemoteAssistance,
    PhoneAdvice,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Question,
        Category::Incident,
        Category::SupportCase,
        Category::RemoteAssistance,
        Category::PhoneAdvice,
    ];

    /// Paid categories need a current póliza or a per-event authorization.
    pub fn is_paid(self) -> bool {
        matches!(
            self,
            Category::SupportCase | Category::RemoteAssistance | Category::PhoneAdvice
        )
    }

    /// Free categories: low, medium. Paid categories: high only.
    pub fn allowed_priorities(self) -> &'static [Priority] {
        if self.is_paid() {
            &[Priority::High]
        } else {
            &[Priority::Low, Priority::Medium]
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Question => "question",
            Category::Incident => "incident",
            Category::SupportCase => "support_case",
            Category::RemoteAssistance => "remote_assistance",
            Category::PhoneAdvice => "phone_advice",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Category::Question, Lang::Es) => "Pregunta",
            (Category::Incident, Lang::Es) => "Falla",
            (Category::SupportCase, Lang::Es) => "Caso de soporte",
            (Category::RemoteAssistance, Lang::Es) => "Asistencia remota",
            (Category::PhoneAdvice, Lang::Es) => "Asesoría telefónica preferente",
            (Category::Question, Lang::En) => "Question",
            (Category::Incident, Lang::En) => "Incident",
            (Category::SupportCase, Lang::En) => "Support case",
            (Category::RemoteAssistance, Lang::En) => "Remote assistance",
            (Category::PhoneAdvice, Lang::En) => "Preferential phone advice",
        }
    }
}

impl FromStr for Category {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
            .ok_or_else(|| {
                FieldError::new(
                    "category",
                    "invalid_category",
                    "La categoría no es válida.",
                    "Invalid category.",
                )
            })
    }
}

/// Póliza plan (P21).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    PerEvent,
    Basica,
    BasicaPlus,
    Empresarial,
    EmpresarialPlus,
}

impl Plan {
    pub const ALL: [Plan; 5] = [
        Plan::PerEvent,
        Plan::Basica,
        Plan::BasicaPlus,
        Plan::Empresarial,
        Plan::EmpresarialPlus,
    ];

    /// Hours included: 0 / 10 / 15 / 20 / 35.
    pub fn hours(self) -> u32 {
        match self {
            Plan::PerEvent => 0,
            Plan::Basica => 10,
            Plan::BasicaPlus => 15,
            Plan::Empresarial => 20,
            Plan::EmpresarialPlus => 35,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Plan::PerEvent => "per_event",
            Plan::Basica => "basica",
            Plan::BasicaPlus => "basica_plus",
            Plan::Empresarial => "empresarial",
            Plan::EmpresarialPlus => "empresarial_plus",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Plan::PerEvent, Lang::Es) => "Por evento",
            (Plan::PerEvent, Lang::En) => "Per event",
            (Plan::Basica, _) => "Básica",
            (Plan::BasicaPlus, _) => "Básica Plus",
            (Plan::Empresarial, _) => "Empresarial",
            (Plan::EmpresarialPlus, _) => "Empresarial Plus",
        }
    }
}

impl FromStr for Plan {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Plan::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or_else(|| {
                FieldError::new(
                    "plan",
                    "invalid_plan",
                    "El plan no es válido.",
                    "Invalid plan.",
                )
            })
    }
}

/// A póliza (P19, P21, P22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    pub plan: Plan,
    pub hours_total: u32,
    /// Whole hours already charged.
    pub hours_used: u32,
    pub starts_on: NaiveDate,
}

/// Why a póliza covers nothing right now.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotCurrentReason {
    #[error("the contract has not started yet")]
    NotStarted,
    #[error("the contract expired")]
    Expired,
    #[error("all contract hours have been used")]
    HoursUsedUp,
    #[error("the company has an overdue invoice")]
    OverdueInvoice,
}

impl NotCurrentReason {
    pub fn code(&self) -> &'static str {
        match self {
            NotCurrentReason::NotStarted => "contract_not_started",
            NotCurrentReason::Expired => "contract_expired",
            NotCurrentReason::HoursUsedUp => "contract_hours_used_up",
            NotCurrentReason::OverdueInvoice => "overdue_invoice",
        }
    }

    pub fn message(&self, lang: Lang) -> &'static str {
        match self {
            NotCurrentReason::NotStarted => lang.pick(
                "Tu póliza todavía no entra en vigor.",
                "Your support contract has not started yet.",
            ),
            NotCurrentReason::Expired => lang.pick(
                "Tu póliza venció: ya pasó un año desde su inicio.",
                "Your support contract has expired: one year has passed since it started.",
            ),
            NotCurrentReason::HoursUsedUp => lang.pick(
                "Tu póliza venció porque ya se consumieron todas sus horas.",
                "Your support contract has ended because all of its hours have been used.",
            ),
            NotCurrentReason::OverdueInvoice => lang.pick(
                "Tu póliza no está vigente porque hay una factura vencida pendiente de pago.",
                "Your support contract is not current because there is an overdue invoice.",
            ),
        }
    }
}

/// Result of [`Contract::status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractStatus {
    pub current: bool,
    pub reason: Option<NotCurrentReason>,
    pub expires_on: NaiveDate,
    pub remaining_hours: u32,
}

impl Contract {
    /// A new póliza of `plan` starting on `starts_on` with the plan's hours.
    pub fn new(plan: Plan, starts_on: NaiveDate) -> Self {
        Contract {
            plan,
            hours_total: plan.hours(),
            hours_used: 0,
            starts_on,
        }
    }

    /// First day on which the póliza no longer applies: one year after the start.
    pub fn expires_on(&self) -> NaiveDate {
        self.starts_on
            .checked_add_months(Months::new(12))
            .unwrap_or(NaiveDate::MAX)
    }

    pub fn remaining_hours(&self) -> u32 {
        self.hours_total.saturating_sub(self.hours_used)
    }

    /// Is the póliza current on `today` (office-local date)? P19, P22.
    pub fn status(&self, today: NaiveDate, has_overdue_invoice: bool) -> ContractStatus {
        let reason = if today < self.starts_on {
            Some(NotCurrentReason::NotStarted)
        } else if today >= self.expires_on() {
            Some(NotCurrentReason::Expired)
        } else if self.remaining_hours() == 0 {
            Some(NotCurrentReason::HoursUsedUp)
        } else if has_overdue_invoice {
            Some(NotCurrentReason::OverdueInvoice)
        } else {
            None
        };
        ContractStatus {
            current: reason.is_none(),
            reason,
            expires_on: self.expires_on(),
            remaining_hours: self.remaining_hours(),
        }
    }
}

/// How an accepted request is paid for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Free category (question, incident).
    Free,
    /// Paid category deducted from the current póliza after an estimate (P24).
    Contract,
    /// Paid category quoted and authorized per event (P23).
    PerEvent,
}

impl Coverage {
    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::Free => "free",
            Coverage::Contract => "contract",
            Coverage::PerEvent => "per_event",
        }
    }
}

/// Why a ticket request (category + priority) is refused (422).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RequestError {
    #[error("priority {priority:?} is not available for category {category:?}")]
    PriorityNotAllowed {
        category: Category,
        priority: Priority,
    },
    #[error("paid categories are unavailable while an invoice is overdue")]
    OverdueInvoice { category: Category },
}

impl RequestError {
    /// Form field the error belongs to: `priority` or `category`.
    pub fn field(&self) -> &'static str {
        match self {
            RequestError::PriorityNotAllowed { .. } => "priority",
            RequestError::OverdueInvoice { .. } => "category",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            RequestError::PriorityNotAllowed { .. } => "priority_not_allowed",
            RequestError::OverdueInvoice { .. } => "overdue_invoice",
        }
    }

    pub fn http_status(&self) -> u16 {
        422
    }

    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (RequestError::PriorityNotAllowed { category, .. }, Lang::Es) if category.is_paid() => {
                format!("La categoría «{}» se atiende siempre con prioridad alta.", category.label(Lang::Es))
            }
            (RequestError::PriorityNotAllowed { category, .. }, Lang::En) if category.is_paid() => {
                format!("The category “{}” is always handled with high priority.", category.label(Lang::En))
            }
            (RequestError::PriorityNotAllowed { category, .. }, Lang::Es) => format!(
                "La prioridad alta no está disponible para «{}»: elige baja o media. La prioridad alta corresponde a los servicios con póliza o por evento.",
                category.label(Lang::Es)
            ),
            (RequestError::PriorityNotAllowed { category, .. }, Lang::En) => format!(
                "High priority is not available for “{}”: choose low or medium. High priority is for services under a póliza or paid per event.",
                category.label(Lang::En)
            ),
            (RequestError::OverdueInvoice { .. }, Lang::Es) => "Los servicios con costo no están disponibles mientras tu empresa tenga una factura vencida. Las preguntas y fallas siguen abiertas.".into(),
            (RequestError::OverdueInvoice { .. }, Lang::En) => "Paid services are unavailable while your company has an overdue invoice. Questions and incidents remain available.".into(),
        }
    }

    pub fn to_field_error(&self) -> FieldError {
        FieldError::new(
            self.field(),
            self.code(),
            self.message(Lang::Es),
            self.message(Lang::En),
        )
    }
}

/// Decide whether a request of `category` and `priority` may be opened now and
/// how it is covered (P3, P19, P23, P24). Checks, in order: an overdue invoice
/// blocks paid categories (`field = "category"`); the priority must be allowed
/// for the category (`field = "priority"`); paid categories go on the póliza if
/// it is current, else per event.
pub fn check_request(
    category: Category,
    priority: Priority,
    contract_current: bool,
    has_overdue_invoice: bool,
) -> Result<Coverage, RequestError> {
    if category.is_paid() && has_overdue_invoice {
        return Err(RequestError::OverdueInvoice { category });
    }
    if !category.allowed_priorities().contains(&priority) {
        return Err(RequestError::PriorityNotAllowed { category, priority });
    }
    Ok(if !category.is_paid() {
        Coverage::Free
    } else if contract_current {
        Coverage::Contract
    } else {
        Coverage::PerEvent
    })
}

/// One line of the "what can I request now" list for the ticket form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryOption {
    pub category: Category,
    pub paid: bool,
    pub priorities: &'static [Priority],
    /// `None` when the category is unavailable.
    pub coverage: Option<Coverage>,
    /// Error code when unavailable.
    pub reason: Option<&'static str>,
}

/// Every category with its priorities, coverage and, if unavailable, the reason.
pub fn request_options(contract_current: bool, has_overdue_invoice: bool) -> Vec<CategoryOption> {
    Category::ALL
        .into_iter()
        .map(|category| {
            let priority = category.allowed_priorities()[0];
            let res = check_request(category, priority, contract_current, has_overdue_invoice);
            CategoryOption {
                category,
                paid: category.is_paid(),
                priorities: category.allowed_priorities(),
                coverage: res.ok(),
                reason: res.err().map(|e| e.code()),
            }
        })
        .collect()
}

/// Whole hours charged for `minutes` of work: rounded up, never fractions;
/// 0 minutes → 0 hours, 1..=60 → 1 (P22).
pub fn charge_hours(minutes: u32) -> u32 {
    minutes.div_ceil(60)
}

/// Why an hours estimate cannot be authorized against the póliza (P24).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EstimateError {
    #[error("the estimate must be at least one hour")]
    Empty,
    #[error("estimate of {estimate} h exceeds the {remaining} h left")]
    ExceedsRemaining { estimate: u32, remaining: u32 },
}

impl EstimateError {
    pub fn code(&self) -> &'static str {
        match self {
            EstimateError::Empty => "invalid_estimate",
            EstimateError::ExceedsRemaining { .. } => "estimate_exceeds_remaining",
        }
    }

    /// Hours that would have to be quoted per event.
    pub fn excess_hours(&self) -> u32 {
        match self {
            EstimateError::Empty => 0,
            EstimateError::ExceedsRemaining {
                estimate,
                remaining,
            } => estimate - remaining,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (EstimateError::Empty, Lang::Es) => "La estimación debe ser de al menos una hora.".into(),
            (EstimateError::Empty, Lang::En) => "The estimate must be at least one hour.".into(),
            (EstimateError::ExceedsRemaining { estimate, remaining }, Lang::Es) => format!(
                "La estimación de {estimate} h supera las {remaining} h que quedan en la póliza. Las {} h excedentes pueden cotizarse por evento.",
                estimate - remaining
            ),
            (EstimateError::ExceedsRemaining { estimate, remaining }, Lang::En) => format!(
                "The estimate of {estimate} h exceeds the {remaining} h left on the póliza. The {} h excess can be quoted per event.",
                estimate - remaining
            ),
        }
    }
}

/// Can an estimate of `estimate_hours` be authorized against a póliza with
/// `remaining_hours` left (P24)?
pub fn can_authorize_estimate(
    estimate_hours: u32,
    remaining_hours: u32,
) -> Result<(), EstimateError> {
    if estimate_hours == 0 {
        Err(EstimateError::Empty)
    } else if estimate_hours > remaining_hours {
        Err(EstimateError::ExceedsRemaining {
            estimate: estimate_hours,
            remaining: remaining_hours,
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
