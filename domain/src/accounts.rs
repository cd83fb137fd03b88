//! Account rules (issue 12): passwords, one-time tokens, suspensions (P27) and the
//! small text fields of people and companies. Pure: callers pass `now`.
//!
//! What "suspended" allows (P27, decided here and enforced by the worker):
//! a suspended person — or every person of a suspended company — **can** sign in, read
//! their company's tickets and see why and since when they are suspended; they **cannot**
//! open tickets, reply, reopen or get any paid service. The suspension is lifted the same
//! way it is set, by an admin, and both are in the audit trail.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::validation::{FieldError, Lang};

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_BYTES: usize = 1024;

const COMMON: &str = include_str!("../data/common-passwords.txt");

/// Is `password` in the shipped list of common passwords (case-insensitive)?
pub fn is_common(password: &str) -> bool {
    let p = password.trim().to_lowercase();
    COMMON
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|l| l == p)
}

/// Server-side password rules: at least 10 characters, not the e-mail (nor its part before
/// the `@`), not in the common-passwords list. `field` is the body field to report.
pub fn check_password(field: &'static str, password: &str, email: &str) -> Result<(), FieldError> {
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Err(FieldError::new(
            field,
            "password_too_short",
            format!("La contraseña debe tener al menos {PASSWORD_MIN_CHARS} caracteres."),
            format!("The password must have at least {PASSWORD_MIN_CHARS} characters."),
        ));
    }
    if password.len() > PASSWORD_MAX_BYTES {
        return Err(FieldError::new(
            field,
            "password_too_long",
            "La contraseña es demasiado larga.",
            "The password is too long.",
        ));
    }
    let p = password.trim().to_lowercase();
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if p == email || (!local.is_empty() && p == local) {
        return Err(FieldError::new(
            field,
            "password_is_email",
            "La contraseña no puede ser tu correo electrónico.",
            "The password cannot be your e-mail address.",
        ));
    }
    if is_common(password) {
        return Err(FieldError::new(
            field,
            "password_too_common",
            "Esa contraseña es de las más usadas y fáciles de adivinar; elige otra.",
            "That password is one of the most used and easiest to guess; choose another.",
        ));
    }
    Ok(())
}

/// What a one-time account token is for, and how long it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenPurpose {
    /// Sent when an admin creates a person: set the first password (72 h).
    Invite,
    /// Forgot password (1 h).
    Reset,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invite => "invite",
            TokenPurpose::Reset => "reset",
        }
    }
    pub fn ttl(self) -> Duration {
        match self {
            TokenPurpose::Invite => Duration::hours(72),
            TokenPurpose::Reset => Duration::hours(1),
        }
    }
    /// The SPA route the e-mailed link opens.
    pub fn path(self) -> &'static str {
        match self {
            TokenPurpose::Invite => "/activar",
            TokenPurpose::Reset => "/restablecer",
        }
    }
}

/// A stored token as the checker needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    pub purpose: TokenPurpose,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
    /// The person was deactivated meanwhile.
    pub user_inactive: bool,
}

/// Why a token cannot be used. Every failure changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("unknown token")]
    Unknown,
    #[error("token already used")]
    Used,
    #[error("token expired")]
    Expired,
}

impl TokenError {
    pub fn code(self) -> &'static str {
        match self {
            TokenError::Unknown => "token_invalid",
            TokenError::Used => "token_used",
            TokenError::Expired => "token_expired",
        }
    }
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            TokenError::Unknown => lang.pick(
                "El enlace no es válido. Pide uno nuevo.",
                "The link is not valid. Ask for a new one.",
            ),
            TokenError::Used => lang.pick(
                "Este enlace ya se usó. Si necesitas otro, pídelo de nuevo.",
                "This link was already used. Ask again if you need another one.",
            ),
            TokenError::Expired => lang.pick(
                "El enlace caducó. Pide uno nuevo.",
                "The link has expired. Ask for a new one.",
            ),
        }
    }
}

/// May `token` (found by its hash, `None` when unknown) be used now for `purpose`?
pub fn check_token(
    token: Option<&StoredToken>,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> Result<(), TokenError> {
    let t = token.ok_or(TokenError::Unknown)?;
    if t.purpose != purpose || t.user_inactive {
        return Err(TokenError::Unknown);
    }
    if t.used {
        return Err(TokenError::Used);
    }
    if now >= t.expires_at {
        return Err(TokenError::Expired);
    }
    Ok(())
}

/// A token string as sent in a link: 64 hex characters. Anything else is unknown.
pub fn token_well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Who is suspended: the person, or their whole company.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuspensionScope {
    User,
    Company,
}

/// Why suspending or lifting a suspension is refused (409): it is already in that state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SuspensionChangeError {
    #[error("already suspended")]
    AlreadySuspended(SuspensionScope),
    #[error("not suspended")]
    NotSuspended(SuspensionScope),
}

impl SuspensionChangeError {
    pub fn code(self) -> &'static str {
        match self {
            SuspensionChangeError::AlreadySuspended(_) => "already_suspended",
            SuspensionChangeError::NotSuspended(_) => "not_suspended",
        }
    }

    pub fn message(self, lang: Lang) -> &'static str {
        use SuspensionChangeError::*;
        use SuspensionScope::*;
        match self {
            AlreadySuspended(User) => lang.pick(
                "La persona ya está suspendida.",
                "The person is already suspended.",
            ),
            AlreadySuspended(Company) => lang.pick(
                "La empresa ya está suspendida.",
                "The company is already suspended.",
            ),
            NotSuspended(User) => lang.pick(
                "La persona no está suspendida.",
                "The person is not suspended.",
            ),
            NotSuspended(Company) => lang.pick(
                "La empresa no está suspendida.",
                "The company is not suspended.",
            ),
        }
    }
}

/// Suspending (`suspend = true`) or lifting a suspension of someone currently `suspended` (P27).
pub fn change_suspension(
    scope: SuspensionScope,
    suspended: bool,
    suspend: bool,
) -> Result<(), SuspensionChangeError> {
    match (suspended, suspend) {
        (true, true) => Err(SuspensionChangeError::AlreadySuspended(scope)),
        (false, false) => Err(SuspensionChangeError::NotSuspended(scope)),
        _ => Ok(()),
    }
}

/// An active suspension (P27). The company's wins when both apply (it is broader).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspension {
    pub scope: SuspensionScope,
    pub reason: String,
    pub since: String,
}

/// The suspension that applies to a person, from their own and their company's.
pub fn suspension_of(
    user: Option<(String, String)>,
    company: Option<(String, String)>,
) -> Option<Suspension> {
    company
        .map(|(reason, since)| Suspension {
            scope: SuspensionScope::Company,
            reason,
            since,
        })
        .or_else(|| {
            user.map(|(reason, since)| Suspension {
                scope: SuspensionScope::User,
                reason,
                since,
            })
        })
}

impl Suspension {
    /// The refusal a suspended client gets when trying to write (open, reply, reopen, pay).
    pub fn refusal(&self, lang: Lang) -> String {
        match (self.scope, lang) {
            (SuspensionScope::User, Lang::Es) => format!(
                "Tu cuenta está suspendida desde {} por: «{}». Puedes leer tus tickets, pero no abrir nuevos ni responder. Si crees que es un error, habla con tu administrador de cuenta.",
                self.since, self.reason
            ),
            (SuspensionScope::User, Lang::En) => format!(
                "Your account has been suspended since {} because: “{}”. You can read your tickets but not open new ones or reply. If you think this is a mistake, talk to your account manager.",
                self.since, self.reason
            ),
            (SuspensionScope::Company, Lang::Es) => format!(
                "Tu empresa está suspendida desde {} por: «{}». Puedes leer los tickets, pero no abrir nuevos ni responder.",
                self.since, self.reason
            ),
            (SuspensionScope::Company, Lang::En) => format!(
                "Your company has been suspended since {} because: “{}”. You can read tickets but not open new ones or reply.",
                self.since, self.reason
            ),
        }
    }
    pub fn code(&self) -> &'static str {
        match self.scope {
            SuspensionScope::User => "user_suspended",
            SuspensionScope::Company => "company_suspended",
        }
    }
}

/// Flags after which the admin is prompted to suspend (P27), unless a setting says otherwise.
pub const DEFAULT_FLAGS_BEFORE_SUSPENSION: i64 = 3;

/// The flag threshold an admin may set (P27): 1 to 20 flags.
pub fn flag_threshold(n: i64) -> Result<i64, FieldError> {
    if (1..=20).contains(&n) {
        Ok(n)
    } else {
        Err(FieldError::new(
            "flag_threshold",
            "invalid_threshold",
            "Elige de 1 a 20 mensajes marcados.",
            "Choose 1 to 20 flagged messages.",
        ))
    }
}

/// What flagging a client's message tells the client (P27): the first flag of a person is
/// a formal warning (in the ticket and as a notification they cannot mute); later flags
/// post a shorter reminder in the ticket only (the admin is prompted past the threshold).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConductStep {
    FormalWarning,
    Reminder,
}

/// `flags_before`: the person's flagged messages before this one.
pub fn conduct_step(flags_before: i64) -> ConductStep {
    if flags_before <= 0 {
        ConductStep::FormalWarning
    } else {
        ConductStep::Reminder
    }
}

/// The ticket message (and the notice's text) of each step.
pub fn conduct_message(step: ConductStep, lang: Lang) -> &'static str {
    match step {
        ConductStep::FormalWarning => lang.pick(
            "Advertencia formal: uno de tus mensajes fue marcado como inapropiado. Te pedimos mantener un trato respetuoso: el lenguaje grosero, obsceno, intimidante o amenazante no se tolera y, si persiste, la cuenta puede ser suspendida.",
            "Formal warning: one of your messages was flagged as inappropriate. Please keep a respectful tone: rude, obscene, intimidating or threatening language is not tolerated and, if it persists, the account may be suspended.",
        ),
        ConductStep::Reminder => lang.pick(
            "Otro de tus mensajes fue marcado como inapropiado. Ya recibiste una advertencia formal: mantén un trato respetuoso o la cuenta puede ser suspendida.",
            "Another of your messages was flagged as inappropriate. You already received a formal warning: keep a respectful tone or the account may be suspended.",
        ),
    }
}

#[cfg(test)]
mod conduct_tests {
    use super::*;

    #[test]
    fn only_the_first_flag_is_a_formal_warning() {
        assert_eq!(conduct_step(0), ConductStep::FormalWarning);
        assert_eq!(conduct_step(1), ConductStep::Reminder);
        assert_eq!(conduct_step(7), ConductStep::Reminder);
        for step in [ConductStep::FormalWarning, ConductStep::Reminder] {
            assert!(conduct_message(step, Lang::Es).contains("respetuoso"));
            assert!(conduct_message(step, Lang::En).contains("respectful"));
        }
        assert!(
            conduct_message(ConductStep::FormalWarning, Lang::Es).starts_with("Advertencia formal")
        );
    }

    #[test]
    fn the_threshold_is_a_small_positive_number_and_prompts_from_it() {
        assert!(flag_threshold(0).is_err() && flag_threshold(21).is_err());
        assert_eq!(flag_threshold(3), Ok(3));
        assert!(!suggest_suspension(2, 3, false));
        assert!(suggest_suspension(3, 3, false));
        assert!(!suggest_suspension(5, 3, true));
    }
}

/// Should the admin be prompted to suspend this person?
pub fn suggest_suspension(flags: i64, threshold: i64, already_suspended: bool) -> bool {
    !already_suspended && flags >= threshold.max(1)
}

/// The reason for a suspension: required, one line or more, at most 500 characters.
pub fn reason(input: &str) -> Result<String, FieldError> {
    crate::validation::required_text("reason", input, 500)
}

/// A person's or company's name: required, 1..=120 characters, single line.
pub fn name(input: &str) -> Result<String, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::new(
            "name",
            "required",
            "Escribe el nombre.",
            "Enter the name.",
        ));
    }
    if s.chars().count() > 120 || s.chars().any(char::is_control) {
        return Err(FieldError::new(
            "name",
            "invalid_name",
            "El nombre debe tener como máximo 120 caracteres, en una sola línea.",
            "The name must have at most 120 characters, on one line.",
        ));
    }
    Ok(s.to_string())
}

/// A phone number: digits with optional `+`, spaces, dashes, dots and parentheses;
/// 7 to 15 digits. Empty = none.
pub fn phone(input: &str) -> Result<Option<String>, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let chars_ok = s
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || " -.()".contains(c) || (c == '+' && i == 0));
    if !chars_ok || !(7..=15).contains(&digits) || s.len() > 30 {
        return Err(FieldError::new(
            "phone",
            "invalid_phone",
            "Escribe un teléfono de 7 a 15 dígitos, por ejemplo +52 55 1234 5678.",
            "Enter a phone number of 7 to 15 digits, for example +52 55 1234 5678.",
        ));
    }
    Ok(Some(s.to_string()))
}

/// A Mexican tax id (RFC): 12 characters (companies) or 13 (people): 3–4 letters
/// (including Ñ and &), a YYMMDD date and a 3-character check. Empty = none.
pub fn tax_id(input: &str) -> Result<Option<String>, FieldError> {
    let s = input.trim().to_uppercase();
    if s.is_empty() {
        return Ok(None);
    }
    let chars: Vec<char> = s.chars().collect();
    let letters = chars.len().saturating_sub(9);
    let ok = (chars.len() == 12 || chars.len() == 13)
        && chars[..letters]
            .iter()
            .all(|c| c.is_ascii_uppercase() || *c == 'Ñ' || *c == '&')
        && chars[letters..letters + 6].iter().all(char::is_ascii_digit)
        && chars[letters + 6..].iter().all(char::is_ascii_alphanumeric);
    if !ok {
        return Err(FieldError::new(
            "tax_id",
            "invalid_tax_id",
            "El RFC debe tener 12 o 13 caracteres, por ejemplo ACO010203AB1.",
            "The RFC (tax id) must have 12 or 13 characters, for example ACO010203AB1.",
        ));
    }
    Ok(Some(s))
}

/// The FTS5 expression for a company search as typed: every word (accents and case are
/// folded by the index) as a prefix, all required. `None` when nothing searchable remains.
pub fn search_expression(q: &str) -> Option<String> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric() && c != '&')
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| format!("\"{}\"*", w.replace('"', "")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

#[cfg(test)]
mod suspension_change_tests {
    use super::*;

    #[test]
    fn suspending_twice_or_lifting_nothing_is_refused() {
        for scope in [SuspensionScope::User, SuspensionScope::Company] {
            assert_eq!(change_suspension(scope, false, true), Ok(()));
            assert_eq!(change_suspension(scope, true, false), Ok(()));
            let twice = change_suspension(scope, true, true).unwrap_err();
            assert_eq!(twice.code(), "already_suspended");
            assert_ne!(twice.message(Lang::Es), twice.message(Lang::En));
            assert_eq!(
                change_suspension(scope, false, false).unwrap_err().code(),
                "not_suspended"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 2, h, 0, 0).unwrap()
    }

    #[test]
    fn password_rules() {
        let e = "ana.perez@empresa.mx";
        assert!(check_password("password", "caballo-bateria-grapa", e).is_ok());
        assert_eq!(
            check_password("password", "corta", e).unwrap_err().code,
            "password_too_short"
        );
        assert_eq!(
            check_password("password", "ñandú-1234", e).map_err(|e| e.code),
            Ok(()),
            "ten characters, counted as characters"
        );
        assert_eq!(
            check_password("password", "Ana.Perez@Empresa.MX", e)
                .unwrap_err()
                .code,
            "password_is_email"
        );
        assert_eq!(
            check_password("password", "ana.perez1", "ana.perez1@empresa.mx")
                .unwrap_err()
                .code,
            "password_is_email"
        );
        for common in ["1234567890", "Password123", "QWERTYUIOP", "contraseña123"] {
            assert_eq!(
                check_password("new", common, e).unwrap_err().code,
                "password_too_common",
                "{common}"
            );
        }
        let err = check_password("new", "x", e).unwrap_err();
        assert_eq!(err.field, "new");
        assert!(err.message(Lang::Es).contains("10"));
        assert!(err.message(Lang::En).contains("10"));
    }

    #[test]
    fn the_shipped_list_is_loaded() {
        assert!(is_common("password"));
        assert!(is_common("qwertyuiop"));
        assert!(!is_common("# Common passwords refused"));
        assert!(!is_common(""));
    }

    proptest! {
        #[test]
        fn short_passwords_are_always_refused(p in ".{0,9}") {
            prop_assert!(check_password("password", &p, "a@b.mx").is_err());
        }

        #[test]
        fn the_email_is_never_accepted(local in "[a-z]{10,20}") {
            let email = format!("{local}@empresa.mx");
            prop_assert_eq!(check_password("password", &email.to_uppercase(), &email).unwrap_err().code, "password_is_email");
            prop_assert_eq!(check_password("password", &local, &email).unwrap_err().code, "password_is_email");
        }

        #[test]
        fn long_random_passwords_pass(p in "[a-zA-Z0-9]{16,40}") {
            prop_assume!(!is_common(&p));
            prop_assert!(check_password("password", &p, "someone@empresa.mx").is_ok());
        }

        #[test]
        fn search_expression_is_always_quoted(q in ".{0,60}") {
            if let Some(expr) = search_expression(&q) {
                // Every term is a quoted prefix: no FTS5 operator from user input survives.
                for term in expr.split(' ') {
                    prop_assert!(term.starts_with('"') && term.ends_with("\"*"), "{}", term);
                    prop_assert!(!term[1..term.len() - 2].contains('"'));
                }
            }
        }
    }

    #[test]
    fn tokens() {
        let good = StoredToken {
            purpose: TokenPurpose::Invite,
            expires_at: at(10),
            used: false,
            user_inactive: false,
        };
        assert_eq!(
            check_token(Some(&good), TokenPurpose::Invite, at(9)),
            Ok(())
        );
        assert_eq!(
            check_token(Some(&good), TokenPurpose::Invite, at(10)),
            Err(TokenError::Expired)
        );
        assert_eq!(
            check_token(Some(&good), TokenPurpose::Reset, at(9)),
            Err(TokenError::Unknown),
            "an invitation cannot reset a password"
        );
        let used = StoredToken {
            used: true,
            ..good.clone()
        };
        assert_eq!(
            check_token(Some(&used), TokenPurpose::Invite, at(9)),
            Err(TokenError::Used)
        );
        let gone = StoredToken {
            user_inactive: true,
            ..good
        };
        assert_eq!(
            check_token(Some(&gone), TokenPurpose::Invite, at(9)),
            Err(TokenError::Unknown)
        );
        assert_eq!(
            check_token(None, TokenPurpose::Reset, at(9)),
            Err(TokenError::Unknown)
        );
        assert_eq!(TokenPurpose::Invite.ttl(), Duration::hours(72));
        assert_eq!(TokenPurpose::Reset.ttl(), Duration::hours(1));
        assert!(token_well_formed(&"a".repeat(64)));
        assert!(!token_well_formed(&"g".repeat(64)));
        assert!(!token_well_formed("abc"));
        for e in [TokenError::Unknown, TokenError::Used, TokenError::Expired] {
            assert_ne!(e.message(Lang::Es), e.message(Lang::En));
        }
    }

    #[test]
    fn suspensions() {
        let u = Some(("groserías".to_string(), "2026-12-01".to_string()));
        let c = Some(("amenazas".to_string(), "2026-11-30".to_string()));
        assert_eq!(suspension_of(None, None), None);
        let s = suspension_of(u.clone(), None).unwrap();
        assert_eq!(
            (s.scope, s.code()),
            (SuspensionScope::User, "user_suspended")
        );
        assert!(s.refusal(Lang::Es).contains("groserías"));
        assert!(s.refusal(Lang::Es).contains("2026-12-01"));
        assert!(s.refusal(Lang::En).contains("suspended since 2026-12-01"));
        let s = suspension_of(u, c).unwrap();
        assert_eq!(s.scope, SuspensionScope::Company, "the company's wins");
        assert!(suggest_suspension(3, 3, false));
        assert!(!suggest_suspension(2, 3, false));
        assert!(!suggest_suspension(5, 3, true));
        assert!(suggest_suspension(1, 0, false), "threshold at least 1");
        assert_eq!(reason("  ").unwrap_err().code, "required");
        assert_eq!(reason(&"x".repeat(501)).unwrap_err().code, "too_long");
    }

    #[test]
    fn small_fields() {
        assert_eq!(name("  Ana  ").unwrap(), "Ana");
        assert_eq!(name("").unwrap_err().code, "required");
        assert_eq!(name("a\nb").unwrap_err().code, "invalid_name");
        assert_eq!(phone("").unwrap(), None);
        assert_eq!(
            phone(" +52 (55) 1234-5678 ").unwrap().as_deref(),
            Some("+52 (55) 1234-5678")
        );
        assert_eq!(phone("12345").unwrap_err().code, "invalid_phone");
        assert_eq!(phone("55+1234567").unwrap_err().code, "invalid_phone");
        assert_eq!(phone("llámame").unwrap_err().code, "invalid_phone");
        assert_eq!(
            tax_id("aco010203ab1").unwrap().as_deref(),
            Some("ACO010203AB1")
        );
        assert_eq!(
            tax_id("PEÑA800101AB1").unwrap().as_deref(),
            Some("PEÑA800101AB1")
        );
        assert_eq!(tax_id("").unwrap(), None);
        assert_eq!(tax_id("ACO0102AB1").unwrap_err().code, "invalid_tax_id");
        assert_eq!(tax_id("AC1010203AB1").unwrap_err().code, "invalid_tax_id");
    }

    #[test]
    fn search_expressions() {
        assert_eq!(search_expression("  "), None);
        assert_eq!(search_expression("alfa"), Some("\"alfa\"*".into()));
        assert_eq!(
            search_expression("Alfa Comer"),
            Some("\"Alfa\"* \"Comer\"*".into())
        );
        assert_eq!(
            search_expression("a\" OR x NEAR(y"),
            Some("\"a\"* \"OR\"* \"x\"* \"NEAR\"* \"y\"*".into())
        );
    }
}
