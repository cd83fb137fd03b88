//! SLA marks as the queue shows them, and the reason staff record for a missed target
//! (P9, issue 11).
use serde::{Deserialize, Serialize};

use crate::validation::{FieldError, Lang};

/// Where a ticket's running target stands, as marked by the SLA sweep.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaFlag {
    /// 75 % of the target used.
    AtRisk,
    /// The target was missed.
    Breached,
}

impl SlaFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            SlaFlag::AtRisk => "at_risk",
            SlaFlag::Breached => "breached",
        }
    }

    /// The `sla` query parameter of `GET /api/tickets`.
    pub fn parse_query(s: &str) -> Result<SlaFlag, FieldError> {
        match s {
            "at_risk" => Ok(SlaFlag::AtRisk),
            "breached" => Ok(SlaFlag::Breached),
            _ => Err(FieldError::new(
                "sla",
                "invalid",
                "Usa at_risk o breached.",
                "Use at_risk or breached.",
            )),
        }
    }
}

/// The flag of a ticket in the line (`in_line`: `new` or `open`) from the marks the sweep
/// stored: each mark names the due time it was made for, so a new target clears both.
pub fn sla_flag(
    in_line: bool,
    due_at: Option<&str>,
    risk_for: Option<&str>,
    breach_for: Option<&str>,
) -> Option<SlaFlag> {
    let due = due_at.filter(|_| in_line)?;
    if breach_for == Some(due) {
        Some(SlaFlag::Breached)
    } else if risk_for == Some(due) {
        Some(SlaFlag::AtRisk)
    } else {
        None
    }
}

/// Timeline events only staff see: the SLA marks and the breach reason (P9).
pub fn staff_only_event(kind: &str) -> bool {
    matches!(kind, "sla_at_risk" | "sla_breached" | "breach_reason")
}

/// Why a target was missed (P9): a fixed list, plus free text.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreachReason {
    /// Too many tickets for the team at once.
    TeamWorkload,
    /// Waiting on information the client had not given.
    MissingInformation,
    /// The problem needed more investigation than the target allows.
    Complexity,
    /// A provider or another team was needed.
    ThirdParty,
    /// A failure of our own tools or systems.
    InternalIncident,
    Other,
}

/// Longest free text of a breach reason.
pub const BREACH_NOTE_MAX: usize = 500;

impl BreachReason {
    pub const ALL: [BreachReason; 6] = [
        BreachReason::TeamWorkload,
        BreachReason::MissingInformation,
        BreachReason::Complexity,
        BreachReason::ThirdParty,
        BreachReason::InternalIncident,
        BreachReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BreachReason::TeamWorkload => "team_workload",
            BreachReason::MissingInformation => "missing_information",
            BreachReason::Complexity => "complexity",
            BreachReason::ThirdParty => "third_party",
            BreachReason::InternalIncident => "internal_incident",
            BreachReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<BreachReason> {
        BreachReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            BreachReason::TeamWorkload => lang.pick("Carga de trabajo del equipo", "Team workload"),
            BreachReason::MissingInformation => lang.pick(
                "Faltaba información del cliente",
                "Missing information from the client",
            ),
            BreachReason::Complexity => {
                lang.pick("Complejidad del problema", "Complexity of the problem")
            }
            BreachReason::ThirdParty => {
                lang.pick("Dependía de un tercero", "Depended on a third party")
            }
            BreachReason::InternalIncident => lang.pick("Incidente interno", "Internal incident"),
            BreachReason::Other => lang.pick("Otro", "Other"),
        }
    }
}

/// A reason from the list and its free text (trimmed; required for `other`, at most
/// [`BREACH_NOTE_MAX`] characters). Errors name the field (`reason` or `note`).
pub fn validate_breach_reason(
    reason: &str,
    note: Option<&str>,
) -> Result<(BreachReason, Option<String>), FieldError> {
    let r = BreachReason::parse(reason.trim()).ok_or_else(|| {
        FieldError::new(
            "reason",
            "invalid",
            "Elige un motivo de la lista.",
            "Choose a reason from the list.",
        )
    })?;
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if let Some(n) = note {
        if n.chars().count() > BREACH_NOTE_MAX {
            return Err(FieldError::new(
                "note",
                "too_long",
                format!("Máximo {BREACH_NOTE_MAX} caracteres."),
                format!("At most {BREACH_NOTE_MAX} characters."),
            ));
        }
    }
    if r == BreachReason::Other && note.is_none() {
        return Err(FieldError::new(
            "note",
            "required",
            "Describe el motivo.",
            "Describe the reason.",
        ));
    }
    Ok((r, note.map(str::to_string)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_follow_the_running_target() {
        let due = Some("2026-12-04T17:00:00Z");
        assert_eq!(sla_flag(true, due, due, None), Some(SlaFlag::AtRisk));
        assert_eq!(sla_flag(true, due, due, due), Some(SlaFlag::Breached));
        // A new target (new due time) clears the old marks.
        assert_eq!(
            sla_flag(
                true,
                due,
                Some("2026-12-01T17:00:00Z"),
                Some("2026-12-01T17:00:00Z")
            ),
            None
        );
        // Out of the line (answered, paused, finished): no flag.
        assert_eq!(sla_flag(false, due, due, due), None);
        assert_eq!(sla_flag(true, None, due, due), None);
        assert_eq!(SlaFlag::parse_query("breached"), Ok(SlaFlag::Breached));
        assert_eq!(SlaFlag::parse_query("late").unwrap_err().field, "sla");
    }

    #[test]
    fn reasons_from_the_list_with_free_text() {
        assert_eq!(
            validate_breach_reason("team_workload", Some("  dos bajas  ")),
            Ok((BreachReason::TeamWorkload, Some("dos bajas".into())))
        );
        assert_eq!(
            validate_breach_reason("team_workload", Some(" ")),
            Ok((BreachReason::TeamWorkload, None))
        );
        assert_eq!(
            validate_breach_reason("lazy", None).unwrap_err().field,
            "reason"
        );
        let e = validate_breach_reason("other", None).unwrap_err();
        assert_eq!((e.field, e.code), ("note", "required"));
        let long = "x".repeat(BREACH_NOTE_MAX + 1);
        assert_eq!(
            validate_breach_reason("other", Some(&long))
                .unwrap_err()
                .code,
            "too_long"
        );
        for r in BreachReason::ALL {
            assert_eq!(BreachReason::parse(r.as_str()), Some(r));
            assert_ne!(r.label(Lang::Es), r.label(Lang::En));
        }
    }
}
