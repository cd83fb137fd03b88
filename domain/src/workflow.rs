//! What happens around a ticket status change, beyond the state machine of
//! [`crate::ticket`]: the SLA timeline entries it produces (P9, P16–P18), the
//! deadlines it sets or clears (auto-close P17, warranty P18), out-of-scope
//! referrals (P10), duplicate detection (P12), attachment checks (P13) and the
//! display number of a ticket.
//!
//! Everything here is pure: callers pass `now` and the calendar.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::BusinessCalendar;
use crate::sla::{self, TimelineEvent};
use crate::ticket::Status;
use crate::validation::{FieldError, Lang};

/// The SLA timeline entries produced by a status change `from → to` at `at`.
///
/// * entering `waiting_*` pauses the clock with that reason;
/// * leaving `waiting_*` for another active status resumes it;
/// * entering `resolved` / `closed` stops it;
/// * leaving `resolved` / `closed` (reopen) starts a new target.
pub fn status_timeline(from: Status, to: Status, at: DateTime<Utc>) -> Vec<TimelineEvent> {
    let mut out = Vec::new();
    if from == to {
        return out;
    }
    if !to.is_open() {
        if from.is_open() {
            out.push(TimelineEvent::Closed { at });
        }
        return out;
    }
    if !from.is_open() {
        out.push(TimelineEvent::Reopened { at });
    }
    match to.is_paused() {
        Some(reason) => out.push(TimelineEvent::Paused { at, reason }),
        None if from.is_paused().is_some() => out.push(TimelineEvent::Resumed { at }),
        None => {}
    }
    out
}

/// A column update: leave as is, set, or clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change<T> {
    Keep,
    Set(T),
    Clear,
}

impl<T: Copy> Change<T> {
    /// The new value given the `old` one.
    pub fn apply(self, old: Option<T>) -> Option<T> {
        match self {
            Change::Keep => old,
            Change::Set(v) => Some(v),
            Change::Clear => None,
        }
    }
}

/// The deadline and pause columns of a ticket after a status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// When the sweep resolves (`waiting_client`) or closes (`resolved`) the ticket (P17).
    pub auto_close_at: Change<DateTime<Utc>>,
    /// Resolution instant (start of the warranty, P18).
    pub resolved_at: Change<DateTime<Utc>>,
    /// End of the correction warranty (exclusive, P18).
    pub reopen_until: Change<DateTime<Utc>>,
    /// Start of the current pause (P9); the reason is the waiting status itself.
    pub paused_since: Change<DateTime<Utc>>,
}

/// Deadlines after the ticket moves `from → to` at `now`.
///
/// Invariant kept: a ticket in `waiting_client` or `resolved` always has an
/// auto-close deadline 48 working hours after it entered (or re-entered, e.g.
/// a second "awaiting your answer") that status; no other status has one.
/// `restart` = the staff re-sent the waiting / resolved message while already
/// in that status (restarts the countdown).
pub fn deadlines(
    cal: &BusinessCalendar,
    from: Status,
    to: Status,
    now: DateTime<Utc>,
    restart: bool,
) -> Deadlines {
    let entering = from != to || restart;
    let auto_close_at = match to {
        Status::WaitingClient | Status::Resolved if entering => {
            Change::Set(sla::auto_close_deadline(cal, now))
        }
        Status::WaitingClient | Status::Resolved => Change::Keep,
        _ => Change::Clear,
    };
    let (resolved_at, reopen_until) = match to {
        Status::Resolved if from != Status::Resolved => (
            Change::Set(now),
            Change::Set(sla::reopen_deadline(cal, now)),
        ),
        Status::Resolved | Status::Closed => (Change::Keep, Change::Keep),
        _ if !from.is_open() => (Change::Clear, Change::Clear),
        _ => (Change::Keep, Change::Keep),
    };
    let paused_since = match (from.is_paused(), to.is_paused()) {
        (_, Some(_)) if from != to => Change::Set(now),
        (_, Some(_)) => Change::Keep,
        (_, None) => Change::Clear,
    };
    Deadlines {
        auto_close_at,
        resolved_at,
        reopen_until,
        paused_since,
    }
}

/// Reasons to close a ticket as out of scope (P10).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutOfScope {
    Development,
    Training,
    ThirdParty,
    Consulting,
}

impl OutOfScope {
    pub const ALL: [OutOfScope; 4] = [
        OutOfScope::Development,
        OutOfScope::Training,
        OutOfScope::ThirdParty,
        OutOfScope::Consulting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutOfScope::Development => "development",
            OutOfScope::Training => "training",
            OutOfScope::ThirdParty => "third_party",
            OutOfScope::Consulting => "consulting",
        }
    }

    pub fn parse(s: &str) -> Result<OutOfScope, FieldError> {
        OutOfScope::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| {
                FieldError::new(
                    "reason",
                    "invalid_reason",
                    "El motivo debe ser development, training, third_party o consulting.",
                    "The reason must be development, training, third_party or consulting.",
                )
            })
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            OutOfScope::Development => lang.pick("Desarrollo de software", "Software development"),
            OutOfScope::Training => lang.pick("Capacitación", "Training"),
            OutOfScope::ThirdParty => lang.pick(
                "Productos de terceros (sistema operativo, internet, telefonía…)",
                "Third-party products (operating system, internet, telephony…)",
            ),
            OutOfScope::Consulting => lang.pick("Consultoría de negocio", "Business consulting"),
        }
    }

    /// The warning the ticket form shows before a client asks for this.
    pub fn warning(self, lang: Lang) -> &'static str {
        match self {
            OutOfScope::Development => lang.pick(
                "Las mejoras o funciones nuevas no son soporte: se cotizan con nuestra Fábrica de Software.",
                "Improvements or new features are not support: our Software Factory quotes them.",
            ),
            OutOfScope::Training => lang.pick(
                "La capacitación no forma parte del soporte.",
                "Training is not part of support.",
            ),
            OutOfScope::ThirdParty => lang.pick(
                "Las fallas de productos de terceros (sistema operativo, conexión a internet, telefonía) no están cubiertas.",
                "Problems in third-party products (operating system, internet connection, telephony) are not covered.",
            ),
            OutOfScope::Consulting => lang.pick(
                "La consultoría de negocio se atiende en nuestro servicio de Consultoría en TI.",
                "Business consulting is handled by our IT consulting service.",
            ),
        }
    }

    /// The message posted to the client when the ticket is closed for this reason.
    pub fn referral(self, lang: Lang) -> &'static str {
        match self {
            OutOfScope::Development => lang.pick(
                "Cerramos este ticket porque lo que solicitas es desarrollo de software, que no forma parte del soporte. Con gusto nuestra Fábrica de Software puede analizarlo y enviarte una cotización: pídela como un proyecto nuevo.",
                "We are closing this ticket because your request is software development, which is not part of support. Our Software Factory will gladly analyse it and send you a quote: request it as a new project.",
            ),
            OutOfScope::Training => lang.pick(
                "Cerramos este ticket porque se trata de una capacitación, que no forma parte del soporte. Si te interesa, podemos cotizar una sesión de capacitación por separado.",
                "We are closing this ticket because it is a training request, which is not part of support. If you are interested, we can quote a training session separately.",
            ),
            OutOfScope::ThirdParty => lang.pick(
                "Cerramos este ticket porque el problema se origina en un producto de terceros (por ejemplo, el sistema operativo, la conexión a internet o la telefonía). Te recomendamos contactar al proveedor de ese producto.",
                "We are closing this ticket because the problem comes from a third-party product (for example the operating system, the internet connection or telephony). Please contact that product's provider.",
            ),
            OutOfScope::Consulting => lang.pick(
                "Cerramos este ticket porque lo que solicitas es consultoría de negocio. Nuestro servicio de Consultoría en TI puede ayudarte: solicítalo como un servicio nuevo.",
                "We are closing this ticket because your request is business consulting. Our IT consulting service can help you: request it as a new service.",
            ),
        }
    }
}

/// Between the Spanish and the English half of a system message's body.
const BILINGUAL_SEPARATOR: &str = "\n\n";

/// The body of a system message: both languages, so the API (and any e-mail) carries
/// both; [`in_language`] gives a reader their half. Each half is a single paragraph.
pub fn bilingual(es: &str, en: &str) -> String {
    format!("{es}{BILINGUAL_SEPARATOR}{en}")
}

/// The `lang` half of a [`bilingual`] body (the whole body when it has no two halves).
pub fn in_language(body: &str, lang: Lang) -> &str {
    match body.split_once(BILINGUAL_SEPARATOR) {
        Some((es, en)) => lang.pick(es, en),
        None => body,
    }
}

/// Digits of the per-year sequence in a display number (zero-padded).
pub const TICKET_NUMBER_DIGITS: usize = 6;

/// What every display number of `year` starts with: `T-2026-`.
pub fn ticket_number_prefix(year: i32) -> String {
    format!("T-{year}-")
}

/// Display number of the `n`-th ticket of `year`: `T-2026-000123`.
pub fn ticket_number(year: i32, n: i64) -> String {
    format!(
        "{}{n:0width$}",
        ticket_number_prefix(year),
        width = TICKET_NUMBER_DIGITS
    )
}

/// The name of the counter that numbers the tickets of `year`.
pub fn ticket_counter(year: i32) -> String {
    format!("ticket:{year}")
}

/// Is `s` shaped like a display number (`T-2026-000123`)?
pub fn is_ticket_number(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 13
        && s.starts_with("T-")
        && b[2..6].iter().all(u8::is_ascii_digit)
        && b[6] == b'-'
        && b[7..].iter().all(u8::is_ascii_digit)
}

/// An `Idempotency-Key` header: 1..=128 visible ASCII characters.
pub fn idempotency_key(raw: &str) -> Result<String, FieldError> {
    let k = raw.trim();
    if k.is_empty() || k.len() > 128 || !k.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(FieldError::new(
            "Idempotency-Key",
            "invalid_idempotency_key",
            "La clave de idempotencia debe tener de 1 a 128 caracteres ASCII visibles.",
            "The idempotency key must be 1 to 128 visible ASCII characters.",
        ));
    }
    Ok(k.to_string())
}

/// A retry with a key already used: the earlier ticket is replayed only when the body is the
/// same (its `fingerprint` equals the stored one); another body under the same key is refused
/// rather than silently answered with a ticket that does not match it. Tickets stored without
/// a fingerprint replay as before.
pub fn idempotent_replay(stored: Option<&str>, fingerprint: &str) -> Result<(), FieldError> {
    match stored {
        Some(s) if s != fingerprint => Err(FieldError::new(
            "Idempotency-Key",
            "idempotency_key_reused",
            "Esta clave de idempotencia ya se usó con otra solicitud; usa una clave nueva para un ticket nuevo.",
            "This idempotency key was already used with a different request; use a new key for a new ticket.",
        )),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------
// Attachments (P13)

/// Largest screenshot accepted, in bytes (10 MB).
pub const ATTACHMENT_MAX_BYTES: usize = 10 * 1024 * 1024;
/// Screenshots per message (the opening message included).
pub const ATTACHMENTS_PER_MESSAGE: usize = 5;

/// The image type of `bytes`, decided by its signature only (never by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    Png,
    Jpeg,
}

impl ImageType {
    pub fn content_type(self) -> &'static str {
        match self {
            ImageType::Png => "image/png",
            ImageType::Jpeg => "image/jpeg",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageType::Png => "png",
            ImageType::Jpeg => "jpg",
        }
    }
}

pub fn sniff_image(bytes: &[u8]) -> Option<ImageType> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.len() > PNG.len() && bytes.starts_with(PNG) {
        Some(ImageType::Png)
    } else if bytes.len() > 3 && bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageType::Jpeg)
    } else {
        None
    }
}

/// A safe file name for storage and `Content-Disposition`: no path, no control
/// or quoting characters, at most 120 characters, with the extension of the
/// detected type.
pub fn attachment_name(raw: &str, kind: ImageType) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) => stem,
        None => base,
    };
    let clean: String = stem
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\\' | '/' | ';' | '<' | '>'))
        .take(100)
        .collect();
    let clean = clean.trim().trim_matches('.');
    let stem = if clean.is_empty() { "captura" } else { clean };
    format!("{stem}.{}", kind.extension())
}

// ---------------------------------------------------------------------------
// Similar subjects (P12)

const STOPWORDS: &[&str] = &[
    "de", "la", "el", "en", "y", "a", "los", "las", "del", "un", "una", "no", "se", "que", "con",
    "por", "para", "mi", "me", "al", "lo", "es", "su", "the", "of", "to", "and", "in", "my", "is",
    "not", "on", "for", "a", "an", "it", "i",
];

pub(crate) fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'ä' | 'â' => 'a',
        'é' | 'è' | 'ë' | 'ê' => 'e',
        'í' | 'ì' | 'ï' | 'î' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' => 'o',
        'ú' | 'ù' | 'ü' | 'û' => 'u',
        'ñ' => 'n',
        c => c,
    }
}

/// Significant words of a subject: lower-case, accent-free, no stop words.
pub fn subject_terms(subject: &str) -> BTreeSet<String> {
    subject
        .to_lowercase()
        .chars()
        .map(fold)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 2 && !STOPWORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// Similarity of two subjects in 0..=1: shared significant words over the
/// smaller set (so a short subject contained in a long one scores high).
pub fn subject_similarity(a: &str, b: &str) -> f64 {
    let (ta, tb) = (subject_terms(a), subject_terms(b));
    let smaller = ta.len().min(tb.len());
    if smaller == 0 {
        return 0.0;
    }
    ta.intersection(&tb).count() as f64 / smaller as f64
}

/// Threshold above which two subjects are reported as possible duplicates.
pub const SIMILAR_THRESHOLD: f64 = 0.5;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::CalendarSettings;
    use crate::sla::PauseReason;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        // Wed 2026-12-02, office 09:00 = 15:00 UTC
        Utc.with_ymd_and_hms(2026, 12, 2, h, 0, 0).unwrap()
    }

    #[test]
    fn bilingual_bodies_split_back_into_their_halves() {
        let (es, en) = (
            "Mantén un trato respetuoso.",
            "Please keep a respectful tone.",
        );
        let body = bilingual(es, en);
        assert_eq!(in_language(&body, Lang::Es), es);
        assert_eq!(in_language(&body, Lang::En), en);
        assert_eq!(in_language("Solo español", Lang::En), "Solo español");
    }

    #[test]
    fn timeline_of_status_changes() {
        use Status::*;
        let t = at(15);
        assert_eq!(status_timeline(Open, Open, t), vec![]);
        assert_eq!(
            status_timeline(Open, WaitingThirdParty, t),
            vec![TimelineEvent::Paused {
                at: t,
                reason: PauseReason::WaitingThirdParty
            }]
        );
        assert_eq!(
            status_timeline(WaitingRelease, Open, t),
            vec![TimelineEvent::Resumed { at: t }]
        );
        assert_eq!(
            status_timeline(WaitingClient, Resolved, t),
            vec![TimelineEvent::Closed { at: t }]
        );
        assert_eq!(status_timeline(Resolved, Closed, t), vec![]);
        assert_eq!(
            status_timeline(Closed, Open, t),
            vec![TimelineEvent::Reopened { at: t }]
        );
        assert_eq!(status_timeline(New, Open, t), vec![]);
    }

    #[test]
    fn deadlines_follow_the_invariant() {
        use Status::*;
        let cal = BusinessCalendar::new(CalendarSettings::default());
        let t = at(15);
        let d = deadlines(&cal, Open, WaitingClient, t, false);
        assert_eq!(
            d.auto_close_at,
            Change::Set(sla::auto_close_deadline(&cal, t))
        );
        assert_eq!(d.paused_since, Change::Set(t));
        let d = deadlines(&cal, WaitingClient, WaitingClient, t, false);
        assert_eq!(d.auto_close_at, Change::Keep);
        let d = deadlines(&cal, WaitingClient, WaitingClient, t, true);
        assert!(matches!(d.auto_close_at, Change::Set(_)));
        let d = deadlines(&cal, WaitingClient, Open, t, false);
        assert_eq!(d.auto_close_at, Change::Clear);
        assert_eq!(d.paused_since, Change::Clear);
        let d = deadlines(&cal, Open, Resolved, t, false);
        assert_eq!(d.resolved_at, Change::Set(t));
        assert_eq!(d.reopen_until, Change::Set(sla::reopen_deadline(&cal, t)));
        let d = deadlines(&cal, Resolved, Closed, t, false);
        assert_eq!(
            (d.resolved_at, d.auto_close_at),
            (Change::Keep, Change::Clear)
        );
        let d = deadlines(&cal, Closed, Open, t, false);
        assert_eq!(
            (d.resolved_at, d.reopen_until),
            (Change::Clear, Change::Clear)
        );
    }

    #[test]
    fn images_are_sniffed_by_content() {
        assert_eq!(
            sniff_image(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(ImageType::Png)
        );
        assert_eq!(
            sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(ImageType::Jpeg)
        );
        assert_eq!(sniff_image(b"GIF89a\x01\x00"), None);
        assert_eq!(sniff_image(b""), None);
        assert_eq!(
            sniff_image(b"\x89PNG\r\n\x1a\n"),
            None,
            "signature alone is not an image"
        );
    }

    #[test]
    fn names_are_sanitised_and_take_the_real_extension() {
        assert_eq!(
            attachment_name("C:\\fotos\\error.gif", ImageType::Png),
            "error.png"
        );
        assert_eq!(
            attachment_name("../../etc/passwd", ImageType::Jpeg),
            "passwd.jpg"
        );
        assert_eq!(attachment_name("\"a\";b.png", ImageType::Png), "ab.png");
        assert_eq!(attachment_name("", ImageType::Png), "captura.png");
    }

    #[test]
    fn numbers_and_keys() {
        assert_eq!(ticket_number(2026, 123), "T-2026-000123");
        assert!(is_ticket_number("T-2026-000123"));
        assert!(!is_ticket_number("T-2026-00012x"));
        assert!(idempotent_replay(Some("f1"), "f1").is_ok());
        assert!(
            idempotent_replay(None, "f1").is_ok(),
            "stored before fingerprints"
        );
        let e = idempotent_replay(Some("f1"), "f2").unwrap_err();
        assert_eq!(
            (e.field, e.code),
            ("Idempotency-Key", "idempotency_key_reused")
        );
        assert!(idempotency_key("abc-123").is_ok());
        assert!(idempotency_key("").is_err());
        assert!(idempotency_key("a b").is_err());
    }

    #[test]
    fn similar_subjects() {
        assert!(subject_similarity("No puedo enviar correos", "no puedo enviar correo") >= 0.5);
        assert!(
            subject_similarity("No envía correos", "Envío de correos falla") >= SIMILAR_THRESHOLD
        );
        assert!(subject_similarity("Sitio caído", "Factura de marzo") < SIMILAR_THRESHOLD);
        assert_eq!(subject_similarity("de la", "el"), 0.0);
    }
}
