//! Notifications (issue 11): the kinds, who may mute their e-mail, the SLA marks rule, and
//! the texts of every notice in es-MX and English (one template set for the e-mail's plain
//! text and HTML and for the in-app notice).
use serde::{Deserialize, Serialize};

use crate::search::escape_html;
use crate::validation::Lang;

/// What a notification is about.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// To the client: the ticket was received, with its target and due time.
    TicketCreated,
    /// To the client: a public staff reply (never an internal note).
    StaffReply,
    /// To the assignee: the client wrote.
    ClientReply,
    /// To the client: halfway through the 48 h wait (P17).
    WaitReminder,
    /// To the client: the wait ended and the ticket was resolved / closed (P17).
    AutoResolved,
    AutoClosed,
    /// To the client: the correction warranty ended; the ticket is final (P18).
    WarrantyEnded,
    /// To the assignee (or every agent): 75 % of the target used.
    SlaAtRisk,
    /// To the assignee and the admins: the target was missed.
    SlaBreached,
    /// To the company's clients and the admins: the póliza expires in 30 days (P19).
    PolizaExpiring,
    /// To the company's clients and the admins: 80 % of the póliza's hours are used (P22).
    PolizaHoursLow,
    /// To the company's clients and the admins: the póliza expired, by date or hours (P22).
    PolizaExpired,
    /// To the company's clients and the admins: an invoice is overdue, the company is
    /// "with debts" (P26, P19).
    InvoiceOverdue,
    /// To the client: the formal warning after their first flagged message (P27).
    ConductWarning,
}

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::TicketCreated,
        Kind::StaffReply,
        Kind::ClientReply,
        Kind::WaitReminder,
        Kind::AutoResolved,
        Kind::AutoClosed,
        Kind::WarrantyEnded,
        Kind::SlaAtRisk,
        Kind::SlaBreached,
        Kind::PolizaExpiring,
        Kind::PolizaHoursLow,
        Kind::PolizaExpired,
        Kind::InvoiceOverdue,
        Kind::ConductWarning,
    ];

    /// About one ticket (its number in the subject, a link to it); the others are about
    /// the company's póliza or invoices.
    pub fn is_ticket(self) -> bool {
        !matches!(
            self,
            Kind::PolizaExpiring
                | Kind::PolizaHoursLow
                | Kind::PolizaExpired
                | Kind::InvoiceOverdue
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::TicketCreated => "ticket_created",
            Kind::StaffReply => "staff_reply",
            Kind::ClientReply => "client_reply",
            Kind::WaitReminder => "wait_reminder",
            Kind::AutoResolved => "auto_resolved",
            Kind::AutoClosed => "auto_closed",
            Kind::WarrantyEnded => "warranty_ended",
            Kind::SlaAtRisk => "sla_at_risk",
            Kind::SlaBreached => "sla_breached",
            Kind::PolizaExpiring => "poliza_expiring",
            Kind::PolizaHoursLow => "poliza_hours_low",
            Kind::PolizaExpired => "poliza_expired",
            Kind::InvoiceOverdue => "invoice_overdue",
            Kind::ConductWarning => "conduct_warning",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// E-mails a client must get whatever the preferences: creation, resolution/close,
    /// warranty end, the formal conduct warning.
    pub fn mandatory(self) -> bool {
        matches!(
            self,
            Kind::TicketCreated
                | Kind::AutoResolved
                | Kind::AutoClosed
                | Kind::WarrantyEnded
                | Kind::ConductWarning
        )
    }

    /// Whether people of `role` ever get this kind (the preferences page lists only these).
    pub fn reaches(self, role: crate::api::Role) -> bool {
        use crate::api::Role;
        match self {
            Kind::ClientReply | Kind::SlaAtRisk | Kind::SlaBreached => role.is_staff(),
            _ if !self.is_ticket() => role != Role::Agent,
            _ => role == Role::Client,
        }
    }

    /// A label for the preferences page.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Kind::TicketCreated, Lang::Es) => "Ticket recibido",
            (Kind::TicketCreated, Lang::En) => "Ticket received",
            (Kind::StaffReply, Lang::Es) => "Respuesta de soporte",
            (Kind::StaffReply, Lang::En) => "Reply from support",
            (Kind::ClientReply, Lang::Es) => "Mensaje del cliente",
            (Kind::ClientReply, Lang::En) => "Message from the client",
            (Kind::WaitReminder, Lang::Es) => "Recordatorio de respuesta pendiente",
            (Kind::WaitReminder, Lang::En) => "Reminder of a pending answer",
            (Kind::AutoResolved, Lang::Es) => "Ticket resuelto por falta de respuesta",
            (Kind::AutoResolved, Lang::En) => "Ticket resolved for lack of an answer",
            (Kind::AutoClosed, Lang::Es) => "Ticket cerrado",
            (Kind::AutoClosed, Lang::En) => "Ticket closed",
            (Kind::WarrantyEnded, Lang::Es) => "Fin de la garantía",
            (Kind::WarrantyEnded, Lang::En) => "End of the warranty",
            (Kind::SlaAtRisk, Lang::Es) => "Ticket en riesgo de vencer",
            (Kind::SlaAtRisk, Lang::En) => "Ticket at risk of missing its target",
            (Kind::SlaBreached, Lang::Es) => "Ticket vencido",
            (Kind::SlaBreached, Lang::En) => "Ticket past its target",
            (Kind::PolizaExpiring, Lang::Es) => "Póliza por vencer",
            (Kind::PolizaExpiring, Lang::En) => "Support contract about to expire",
            (Kind::PolizaHoursLow, Lang::Es) => "Póliza con pocas horas",
            (Kind::PolizaHoursLow, Lang::En) => "Support contract running out of hours",
            (Kind::PolizaExpired, Lang::Es) => "Póliza vencida",
            (Kind::PolizaExpired, Lang::En) => "Support contract expired",
            (Kind::InvoiceOverdue, Lang::Es) => "Factura vencida",
            (Kind::InvoiceOverdue, Lang::En) => "Overdue invoice",
            (Kind::ConductWarning, Lang::Es) => "Advertencia formal de conducta",
            (Kind::ConductWarning, Lang::En) => "Formal conduct warning",
        }
    }
}

/// The SLA mark a running target deserves: at 75 % of the target at risk, at 100 %
/// breached. `remaining_secs` is the active working time left (negative once past).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SlaMark {
    AtRisk,
    Breached,
}

/// Share of the target after which a ticket is at risk (75 %).
pub const AT_RISK_PERCENT: i64 = 75;

pub fn sla_mark(target_secs: i64, remaining_secs: i64) -> Option<SlaMark> {
    if remaining_secs <= 0 {
        Some(SlaMark::Breached)
    } else if (target_secs - remaining_secs) * 100 >= target_secs * AT_RISK_PERCENT {
        Some(SlaMark::AtRisk)
    } else {
        None
    }
}

/// P17: the client is reminded halfway through the 48 working hours wait, i.e. once at
/// most 24 working hours are left before `auto_close_at`.
pub fn reminder_due(remaining_working_secs: i64) -> bool {
    remaining_working_secs > 0 && remaining_working_secs <= crate::sla::AUTO_CLOSE_HOURS * 3600 / 2
}

/// What a notice is about; every field is safe to show to its recipient (no internal
/// notes are ever put here for a client).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub company: String,
    pub number: String,
    pub subject: String,
    /// Absolute link to the ticket.
    pub link: String,
    /// Office time, e.g. `2026-12-04 17:00 (−06:00)`.
    pub due: Option<String>,
    /// Target in working hours.
    pub target_hours: Option<i64>,
    /// A public message's text (excerpt).
    pub excerpt: Option<String>,
    /// Who wrote.
    pub author: Option<String>,
    /// Póliza notices: the plan, hours used and included, expired by hours (not date).
    pub plan: Option<crate::contract::Plan>,
    pub hours: Option<(i64, i64)>,
    pub by_hours: bool,
    /// Invoice notices: the amount in MXN cents.
    pub amount_cents: Option<i64>,
}

/// A notice in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// E-mail subject and in-app title.
    pub subject: String,
    /// In-app body and the e-mail's main paragraph.
    pub body: String,
    pub text: String,
    pub html: String,
}

fn excerpt(s: &str) -> String {
    let t: String = s.chars().take(400).collect();
    if t.len() < s.len() {
        format!("{t}…")
    } else {
        t
    }
}

pub fn render(kind: Kind, f: &Facts, lang: Lang) -> Rendered {
    let es = lang == Lang::Es;
    let n = &f.number;
    let due = f.due.clone().unwrap_or_default();
    let plan = f
        .plan
        .map(|p| p.label(lang).to_string())
        .unwrap_or_default();
    let (used, total) = f.hours.unwrap_or_default();
    let amount = crate::billing::format_mxn(f.amount_cents.unwrap_or_default());
    let c = &f.company;
    let (subject, body) = match kind {
        Kind::TicketCreated => (
            if es { format!("Recibimos tu ticket {n}: {}", f.subject) } else { format!("We received your ticket {n}: {}", f.subject) },
            match (es, f.target_hours) {
                (true, Some(h)) => format!("Tu solicitud quedó registrada. Te responderemos en un máximo de {h} horas hábiles, a más tardar el {due}."),
                (false, Some(h)) => format!("Your request is registered. We will answer within {h} working hours, by {due} at the latest."),
                (true, None) => "Tu solicitud quedó registrada.".into(),
                (false, None) => "Your request is registered.".into(),
            },
        ),
        Kind::StaffReply => (
            if es { format!("Nueva respuesta en tu ticket {n}") } else { format!("New reply on your ticket {n}") },
            if es { format!("{} te respondió:", f.author.as_deref().unwrap_or("Soporte")) } else { format!("{} replied:", f.author.as_deref().unwrap_or("Support")) },
        ),
        Kind::ClientReply => (
            if es { format!("El cliente escribió en el ticket {n}") } else { format!("The client wrote on ticket {n}") },
            if es { format!("{} ({}) escribió:", f.author.as_deref().unwrap_or("El cliente"), f.company) } else { format!("{} ({}) wrote:", f.author.as_deref().unwrap_or("The client"), f.company) },
        ),
        Kind::WaitReminder => (
            if es { format!("Esperamos tu respuesta en el ticket {n}") } else { format!("We are waiting for your answer on ticket {n}") },
            if es { format!("Responde para mantenerlo abierto; si no, se dará por resuelto el {due}.") } else { format!("Reply to keep it open; otherwise it will be considered resolved on {due}.") },
        ),
        Kind::AutoResolved => (
            if es { format!("Tu ticket {n} se dio por resuelto") } else { format!("Your ticket {n} was considered resolved") },
            if es { "No recibimos respuesta en 48 horas hábiles, así que lo marcamos como resuelto. Si el problema sigue, puedes reabrirlo.".into() } else { "We got no answer within 48 working hours, so we marked it resolved. If the problem persists, you can reopen it.".into() },
        ),
        Kind::AutoClosed => (
            if es { format!("Tu ticket {n} quedó cerrado") } else { format!("Your ticket {n} is closed") },
            if es { "El ticket se cerró al terminar el plazo de confirmación.".into() } else { "The ticket closed when the confirmation period ended.".into() },
        ),
        Kind::WarrantyEnded => (
            if es { format!("Terminó la garantía del ticket {n}") } else { format!("The warranty of ticket {n} ended") },
            if es { "El periodo para reabrirlo terminó; el ticket queda como definitivo. Para un problema nuevo, levanta otro ticket.".into() } else { "The reopen period ended; the ticket is final. For a new problem, open a new ticket.".into() },
        ),
        Kind::SlaAtRisk => (
            if es { format!("Ticket {n} en riesgo: vence el {due}") } else { format!("Ticket {n} at risk: due {due}") },
            if es { format!("Ya se usó el 75 % del tiempo de respuesta de «{}» ({}).", f.subject, f.company) } else { format!("75% of the response time of “{}” ({}) is used.", f.subject, f.company) },
        ),
        Kind::SlaBreached => (
            if es { format!("Ticket {n} vencido") } else { format!("Ticket {n} missed its target") },
            if es { format!("El tiempo de respuesta de «{}» ({}) venció el {due}.", f.subject, f.company) } else { format!("The response time of “{}” ({}) ended on {due}.", f.subject, f.company) },
        ),
        Kind::PolizaExpiring => (
            if es { format!("La póliza {plan} de {c} vence el {due}") } else { format!("The {plan} support contract of {c} expires on {due}") },
            if es { format!("Faltan 30 días o menos. Van {used} de {total} horas usadas. Renuévala para conservar las horas incluidas y los precios preferenciales.") } else { format!("30 days or less are left. {used} of {total} hours are used. Renew it to keep included hours and preferential prices.") },
        ),
        Kind::PolizaHoursLow => (
            if es { format!("La póliza {plan} de {c} ya usó el 80 % de sus horas") } else { format!("The {plan} support contract of {c} has used 80% of its hours") },
            if es { format!("Van {used} de {total} horas; vence el {due}. Al agotarse, los servicios pagados se cotizan por evento.") } else { format!("{used} of {total} hours are used; it expires on {due}. Once used up, paid services are quoted per event.") },
        ),
        Kind::PolizaExpired => (
            if es { format!("La póliza {plan} de {c} venció") } else { format!("The {plan} support contract of {c} expired") },
            match (es, f.by_hours) {
                (true, true) => format!("Se usaron sus {total} horas. Desde ahora los servicios pagados se cotizan por evento."),
                (false, true) => format!("All of its {total} hours are used. Paid services are now quoted per event."),
                (true, false) => format!("Terminó su año de vigencia el {due}. Desde ahora los servicios pagados se cotizan por evento."),
                (false, false) => format!("Its year ended on {due}. Paid services are now quoted per event."),
            },
        ),
        Kind::InvoiceOverdue => (
            if es { format!("Factura vencida de {c}: {amount}") } else { format!("Overdue invoice of {c}: {amount}") },
            if es { format!("La factura por {amount} debía pagarse a más tardar el {due}. Mientras no se pague, la empresa tiene adeudo: la póliza no cubre y no se pueden pedir servicios pagados.") } else { format!("The invoice for {amount} was due on {due}. Until it is paid the company has debts: the support contract covers nothing and paid services cannot be requested.") },
        ),
        Kind::ConductWarning => (
            if es { format!("Advertencia formal: tu mensaje en el ticket {n}") } else { format!("Formal warning: your message on ticket {n}") },
            crate::accounts::conduct_message(crate::accounts::ConductStep::FormalWarning, lang).to_string(),
        ),
    };
    let quoted = f.excerpt.as_deref().map(excerpt);
    let (hello, open, sign) = if es {
        ("Hola:", "Ver el ticket", "Mesa de Soporte")
    } else {
        ("Hello,", "Open the ticket", "Help desk")
    };
    let mut text = format!("{hello}\n\n{body}\n");
    if let Some(q) = &quoted {
        text.push_str(&format!("\n> {}\n", q.replace('\n', "\n> ")));
    }
    let about = if kind.is_ticket() {
        format!("{n} · {} · {}", f.subject, f.company)
    } else {
        f.company.clone()
    };
    let open = if kind.is_ticket() {
        open
    } else if es {
        "Abrir Mesa de Soporte"
    } else {
        "Open the help desk"
    };
    text.push_str(&format!("\n{about}\n{open}: {}\n\n— {sign}\n", f.link));
    let mut html = format!("<p>{}</p><p>{}</p>", escape_html(hello), escape_html(&body));
    if let Some(q) = &quoted {
        html.push_str(&format!(
            "<blockquote>{}</blockquote>",
            escape_html(q).replace('\n', "<br>")
        ));
    }
    html.push_str(&format!(
        "<p>{}</p><p><a href=\"{}\">{}</a></p><p>— {}</p>",
        escape_html(&about),
        escape_html(&f.link),
        escape_html(open),
        escape_html(sign)
    ));
    Rendered {
        subject,
        body: match quoted {
            Some(q) => format!("{body} {q}"),
            None => body,
        },
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts() -> Facts {
        Facts {
            company: "Alfa <Comercial>".into(),
            number: "T-2026-000001".into(),
            subject: "Correo & más".into(),
            link: "https://x.test/tickets/abc".into(),
            due: Some("2026-12-04 17:00".into()),
            target_hours: Some(48),
            excerpt: Some("<script>x</script>".into()),
            author: Some("Ana".into()),
            ..Default::default()
        }
    }

    #[test]
    fn every_kind_renders_both_languages_with_number_company_and_link() {
        for k in Kind::ALL {
            for lang in [Lang::Es, Lang::En] {
                let r = render(k, &facts(), lang);
                assert_eq!(r.subject.contains("T-2026-000001"), k.is_ticket(), "{k:?}");
                assert!(r.text.contains("https://x.test/tickets/abc"));
                assert!(r.text.contains("Alfa <Comercial>"));
                assert!(r.html.contains("Alfa &lt;Comercial&gt;"));
                assert!(!r.html.contains("<script>"));
            }
            assert_ne!(
                render(k, &facts(), Lang::Es).subject,
                render(k, &facts(), Lang::En).subject
            );
        }
    }

    #[test]
    fn creation_states_target_and_due() {
        let r = render(Kind::TicketCreated, &facts(), Lang::Es);
        assert!(r.body.contains("48 horas hábiles") && r.body.contains("2026-12-04 17:00"));
        let r = render(Kind::TicketCreated, &facts(), Lang::En);
        assert!(r.body.contains("48 working hours") && r.body.contains("2026-12-04 17:00"));
    }

    #[test]
    fn company_notices_state_plan_hours_dates_and_amount() {
        let f = Facts {
            company: "Gamma".into(),
            link: "https://x.test/".into(),
            due: Some("2027-01-15".into()),
            plan: Some(crate::contract::Plan::Basica),
            hours: Some((8, 10)),
            amount_cents: Some(12_345_678),
            ..Default::default()
        };
        let r = render(Kind::PolizaHoursLow, &f, Lang::Es);
        assert!(r.subject.contains("80 %") && r.body.contains("8 de 10"));
        assert!(render(Kind::PolizaExpiring, &f, Lang::En)
            .subject
            .contains("2027-01-15"));
        let by_hours = Facts {
            by_hours: true,
            ..f.clone()
        };
        assert!(render(Kind::PolizaExpired, &by_hours, Lang::Es)
            .body
            .contains("10 horas"));
        assert!(render(Kind::PolizaExpired, &f, Lang::En)
            .body
            .contains("2027-01-15"));
        let r = render(Kind::InvoiceOverdue, &f, Lang::Es);
        assert!(r.subject.contains("$123,456.78 MXN") && r.body.contains("adeudo"));
    }

    #[test]
    fn kinds_per_role() {
        use crate::api::Role;
        assert!(Kind::StaffReply.reaches(Role::Client) && !Kind::StaffReply.reaches(Role::Agent));
        assert!(Kind::SlaBreached.reaches(Role::Admin) && !Kind::SlaBreached.reaches(Role::Client));
        assert!(
            Kind::InvoiceOverdue.reaches(Role::Client) && Kind::InvoiceOverdue.reaches(Role::Admin)
        );
        assert!(!Kind::PolizaExpiring.reaches(Role::Agent));
        for r in [Role::Client, Role::Agent, Role::Admin] {
            assert!(Kind::ALL.iter().any(|k| k.reaches(r)));
        }
    }

    #[test]
    fn mandatory_kinds() {
        assert!(Kind::TicketCreated.mandatory() && Kind::WarrantyEnded.mandatory());
        assert!(!Kind::StaffReply.mandatory() && !Kind::SlaAtRisk.mandatory());
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn marks_at_75_and_100_percent() {
        let t = 48 * 3600;
        assert_eq!(sla_mark(t, t), None);
        assert_eq!(sla_mark(t, t / 4 + 1), None);
        assert_eq!(sla_mark(t, t / 4), Some(SlaMark::AtRisk));
        assert_eq!(sla_mark(t, 1), Some(SlaMark::AtRisk));
        assert_eq!(sla_mark(t, 0), Some(SlaMark::Breached));
        assert_eq!(sla_mark(t, -5), Some(SlaMark::Breached));
    }

    #[test]
    fn reminder_halfway() {
        assert!(!reminder_due(24 * 3600 + 1));
        assert!(reminder_due(24 * 3600));
        assert!(reminder_due(1));
        assert!(!reminder_due(0));
    }

    proptest! {
        #[test]
        fn marks_grow_with_time_used(target in 60i64..400_000, a in -500_000i64..500_000, b in -500_000i64..500_000) {
            let (more, less) = if a <= b { (a, b) } else { (b, a) };
            // Less time remaining never gives a weaker mark.
            prop_assert!(sla_mark(target, more) >= sla_mark(target, less));
        }
    }
}
