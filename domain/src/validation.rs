//! Input validation for user-entered text (SPEC P13) and the shared
//! [`FieldError`] / [`Lang`] types used by every module for bilingual messages.

use core::fmt;
use core::str::FromStr;
use serde::{Deserialize, Serialize};

/// Language of a user-facing message: Mexican Spanish first, English second.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Es,
    En,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    /// Pick the language from an `Accept-Language`-like tag (`es-MX`, `en-US`, `en`…);
    /// anything that is not English is Spanish.
    pub fn from_tag(tag: &str) -> Lang {
        let t = tag.trim().to_ascii_lowercase();
        if t == "en" || t.starts_with("en-") || t.starts_with("en_") {
            Lang::En
        } else {
            Lang::Es
        }
    }

    /// Choose between the two texts.
    pub fn pick<'a>(self, es: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Es => es,
            Lang::En => en,
        }
    }
}

impl FromStr for Lang {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s.trim().to_ascii_lowercase().as_str() {
            "es" | "es-mx" | "es_mx" => Ok(Lang::Es),
            "en" | "en-us" | "en_us" | "en-gb" => Ok(Lang::En),
            _ => Err(()),
        }
    }
}

/// A validation error tied to one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Name of the field in the API body (`subject`, `email`, `priority`…).
    pub field: &'static str,
    /// Stable snake_case code: `required`, `too_long`, `invalid_characters`, `invalid_email`…
    pub code: &'static str,
    pub message_es: String,
    pub message_en: String,
}

impl FieldError {
    pub fn new(
        field: &'static str,
        code: &'static str,
        message_es: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Self {
        FieldError {
            field,
            code,
            message_es: message_es.into(),
            message_en: message_en.into(),
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.message_es, &self.message_en)
    }

    fn required(field: &'static str) -> Self {
        FieldError::new(
            field,
            "required",
            format!("El campo «{}» es obligatorio.", label_es(field)),
            format!("The field “{}” is required.", label_en(field)),
        )
    }

    fn too_long(field: &'static str, max: usize) -> Self {
        FieldError::new(
            field,
            "too_long",
            format!(
                "El campo «{}» admite como máximo {max} caracteres.",
                label_es(field)
            ),
            format!(
                "The field “{}” accepts at most {max} characters.",
                label_en(field)
            ),
        )
    }

    fn invalid_characters(field: &'static str) -> Self {
        FieldError::new(
            field,
            "invalid_characters",
            format!(
                "El campo «{}» contiene caracteres de control no permitidos.",
                label_es(field)
            ),
            format!(
                "The field “{}” contains control characters that are not allowed.",
                label_en(field)
            ),
        )
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.field, self.message_en, self.code)
    }
}

impl std::error::Error for FieldError {}

fn label_es(field: &str) -> &str {
    match field {
        "subject" => "asunto",
        "description" => "descripción",
        "steps" => "pasos para reproducir",
        "email" => "correo electrónico",
        "name" | "full_name" => "nombre completo",
        "body" => "mensaje",
        other => other,
    }
}

fn label_en(field: &str) -> &str {
    match field {
        "steps" => "steps to reproduce",
        "full_name" => "full name",
        "body" => "message",
        other => other,
    }
}

pub const SUBJECT_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 20_000;
pub const EMAIL_MAX: usize = 254;

/// Subject: trimmed, 1..=200 characters, no control characters at all.
pub fn subject(input: &str) -> Result<String, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::required("subject"));
    }
    if s.chars().count() > SUBJECT_MAX {
        return Err(FieldError::too_long("subject", SUBJECT_MAX));
    }
    if s.chars().any(char::is_control) {
        return Err(FieldError::invalid_characters("subject"));
    }
    Ok(s.to_owned())
}

/// Longest ticket search text (`GET /api/tickets?q=`), in characters: a subject is at most
/// [`SUBJECT_MAX`], so a longer query can never match.
pub const TICKET_QUERY_MAX: usize = SUBJECT_MAX;

/// Ticket search text: trimmed; `Ok(None)` when empty; too long or with control
/// characters → an error for field `q`.
pub fn ticket_query(input: &str) -> Result<Option<String>, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > TICKET_QUERY_MAX {
        return Err(FieldError::too_long("q", TICKET_QUERY_MAX));
    }
    if s.chars().any(char::is_control) {
        return Err(FieldError::invalid_characters("q"));
    }
    Ok(Some(s.to_owned()))
}

/// Description: trimmed, 1..=20000 characters; control characters other than
/// `\n`, `\r`, `\t` are rejected.
pub fn description(input: &str) -> Result<String, FieldError> {
    required_text("description", input, DESCRIPTION_MAX)
}

/// A required multi-line text field (same rules as [`description`]).
pub fn required_text(field: &'static str, input: &str, max: usize) -> Result<String, FieldError> {
    match optional_text(field, input, max)? {
        Some(s) => Ok(s),
        None => Err(FieldError::required(field)),
    }
}

/// An optional multi-line text field: `Ok(None)` when empty after trimming;
/// at most `max` characters; control characters other than `\n \r \t` rejected.
pub fn optional_text(
    field: &'static str,
    input: &str,
    max: usize,
) -> Result<Option<String>, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > max {
        return Err(FieldError::too_long(field, max));
    }
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(FieldError::invalid_characters(field));
    }
    Ok(Some(s.to_owned()))
}

/// E-mail address: trimmed and lower-cased; `local@domain` with a non-empty
/// local part (≤ 64), a domain of at least two dot-separated labels made of
/// letters, digits and inner hyphens, and at most 254 characters overall.
pub fn email(input: &str) -> Result<String, FieldError> {
    let s = input.trim().to_lowercase();
    if s.is_empty() {
        return Err(FieldError::required("email"));
    }
    if s.chars().count() > EMAIL_MAX {
        return Err(FieldError::too_long("email", EMAIL_MAX));
    }
    let invalid = || {
        FieldError::new(
            "email",
            "invalid_email",
            "Escribe un correo electrónico válido, por ejemplo nombre@empresa.mx.",
            "Enter a valid e-mail address, for example name@company.mx.",
        )
    };
    let (local, domain) = s.rsplit_once('@').ok_or_else(invalid)?;
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return Err(invalid());
    }
    let local_ok = local
        .chars()
        .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    if !local_ok {
        return Err(invalid());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err(invalid());
    }
    for label in &labels {
        if label.is_empty()
            || label.len() > 63
            || label.starts_with('-')
            || label.ends_with('-')
            || !label.chars().all(|c| c.is_alphanumeric() || c == '-')
        {
            return Err(invalid());
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(invalid());
    }
    Ok(s)
}

/// An RFC 3339 instant with any offset (`2026-12-24T10:00:00-06:00`, `…Z`), as UTC.
pub fn instant(
    field: &'static str,
    input: &str,
) -> Result<chrono::DateTime<chrono::Utc>, FieldError> {
    chrono::DateTime::parse_from_rfc3339(input.trim())
        .map(|d| d.with_timezone(&chrono::Utc))
        .map_err(|_| {
            FieldError::new(
                field,
                "invalid_datetime",
                "La fecha y hora debe tener el formato RFC 3339, por ejemplo 2026-12-24T10:00:00-06:00.",
                "The date and time must be in RFC 3339 format, for example 2026-12-24T10:00:00-06:00.",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_query_rules() {
        assert_eq!(ticket_query("  ").unwrap(), None);
        assert_eq!(ticket_query(" T-2026 ").unwrap().as_deref(), Some("T-2026"));
        assert!(ticket_query(&"é".repeat(200)).unwrap().is_some());
        let e = ticket_query(&"é".repeat(201)).unwrap_err();
        assert_eq!((e.field, e.code), ("q", "too_long"));
        assert_eq!(
            ticket_query("a\u{0}b").unwrap_err().code,
            "invalid_characters"
        );
    }

    #[test]
    fn subject_rules() {
        assert_eq!(
            subject("  No puedo enviar correos  ").unwrap(),
            "No puedo enviar correos"
        );
        assert_eq!(subject("   ").unwrap_err().code, "required");
        assert_eq!(subject("").unwrap_err().field, "subject");
        assert!(subject(&"a".repeat(200)).is_ok());
        assert!(
            subject(&"ñ".repeat(200)).is_ok(),
            "counts characters, not bytes"
        );
        assert_eq!(subject(&"a".repeat(201)).unwrap_err().code, "too_long");
        assert_eq!(
            subject("hola\nmundo").unwrap_err().code,
            "invalid_characters"
        );
        assert_eq!(subject("hola\u{7}").unwrap_err().code, "invalid_characters");
        let e = subject("").unwrap_err();
        assert!(e.message(Lang::Es).contains("obligatorio"));
        assert!(e.message(Lang::En).contains("required"));
    }

    #[test]
    fn description_rules() {
        assert_eq!(
            description("Paso 1\r\n\tPaso 2\n").unwrap(),
            "Paso 1\r\n\tPaso 2"
        );
        assert_eq!(description("\n\n").unwrap_err().code, "required");
        assert!(description(&"x".repeat(20_000)).is_ok());
        assert_eq!(
            description(&"x".repeat(20_001)).unwrap_err().code,
            "too_long"
        );
        assert_eq!(
            description("a\u{0}b").unwrap_err().code,
            "invalid_characters"
        );
        assert_eq!(
            description("a\u{1b}[31m").unwrap_err().code,
            "invalid_characters"
        );
    }

    #[test]
    fn optional_text_rules() {
        assert_eq!(optional_text("steps", "  ", 10).unwrap(), None);
        assert_eq!(
            optional_text("steps", " a\nb ", 10).unwrap(),
            Some("a\nb".into())
        );
        let e = optional_text("steps", "abcdefghijk", 10).unwrap_err();
        assert_eq!((e.field, e.code), ("steps", "too_long"));
        assert!(e.message_es.contains("pasos para reproducir"));
        assert_eq!(
            optional_text("steps", "a\u{8}", 10).unwrap_err().code,
            "invalid_characters"
        );
    }

    #[test]
    fn email_rules() {
        assert_eq!(
            email(" Ana.Perez@Empresa.MX ").unwrap(),
            "ana.perez@empresa.mx"
        );
        assert!(email("soporte+mesa@sub.dominio.com.mx").is_ok());
        assert!(email("josé@correo.mx").is_ok());
        for bad in [
            "",
            "ana",
            "ana@",
            "@empresa.mx",
            "ana@empresa",
            "ana@@empresa.mx",
            "ana@empresa..mx",
            "ana @empresa.mx",
            "ana@-empresa.mx",
            "ana@empresa-.mx",
            ".ana@empresa.mx",
            "ana..b@empresa.mx",
            "ana@1.2",
            "ana@empresa.mx\n",
        ] {
            let r = email(bad);
            if bad.trim().is_empty() {
                assert_eq!(r.unwrap_err().code, "required");
            } else if bad == "ana@empresa.mx\n" {
                // trailing newline is trimmed: valid
                assert!(r.is_ok());
            } else {
                assert_eq!(r.unwrap_err().code, "invalid_email", "{bad}");
            }
        }
        let long = format!("{}@{}.mx", "a".repeat(64), "b".repeat(200));
        assert_eq!(email(&long).unwrap_err().code, "too_long");
    }

    #[test]
    fn instants() {
        let a = instant("from", "2026-12-24T10:00:00-06:00").unwrap();
        assert_eq!(a, instant("from", " 2026-12-24T16:00:00Z ").unwrap());
        assert_eq!(a, instant("from", "2026-12-25T01:00:00+09:00").unwrap());
        for bad in [
            "",
            "2026-12-24",
            "2026-12-24T10:00:00",
            "mañana",
            "2026-13-01T00:00:00Z",
        ] {
            let e = instant("from", bad).unwrap_err();
            assert_eq!((e.field, e.code), ("from", "invalid_datetime"));
        }
    }

    #[test]
    fn lang() {
        assert_eq!(Lang::from_tag("es-MX"), Lang::Es);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("fr"), Lang::Es);
        assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
        assert_eq!(Lang::En.pick("hola", "hello"), "hello");
    }
}
