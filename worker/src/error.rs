//! The one error type of the API: every failure becomes `{"error":{code,message,field?}}`
//! with the right status. Internal details are logged, never sent.
use domain::api::{ErrorBody, ErrorDetail, LocalizedText};
use domain::ticket::messages::ReplyError;
use domain::ticket::TransitionError;
use domain::validation::FieldError;
use worker::{Response, ResponseBuilder};

/// A user-facing text in es-MX and English.
pub type Text = LocalizedText;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    #[error("{}", message.es)]
    BadRequest {
        code: &'static str,
        message: Text,
        field: Option<String>,
    },
    #[error("sign in required")]
    Unauthorized,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("forbidden: {}", .1.es)]
    Forbidden(&'static str, Text),
    #[error("not found")]
    NotFound,
    /// The path exists with other methods (listed in `Allow`).
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("conflict: {}", .1.es)]
    Conflict(&'static str, Text),
    #[error("payload too large")]
    TooLarge(Text),
    #[error("unsupported media type")]
    UnsupportedMedia(Text),
    #[error("{}", message.es)]
    Invalid {
        code: &'static str,
        message: Text,
        field: Option<String>,
    },
    #[error("rate limited")]
    RateLimited { retry_after: u32 },
    /// 410: it existed and is gone for good (a purged credential).
    #[error("gone: {}", .1.es)]
    Gone(&'static str, Text),
    /// 503: the server lacks a configuration this needs.
    #[error("unavailable: {}", .1.es)]
    Unavailable(&'static str, Text),
    #[error("internal: {0}")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<Text>) -> Self {
        ApiError::BadRequest {
            code,
            message: message.into(),
            field: None,
        }
    }
    pub fn bad_field(field: &str, message: impl Into<Text>) -> Self {
        ApiError::BadRequest {
            code: "invalid_parameter",
            message: message.into(),
            field: Some(field.to_string()),
        }
    }
    pub fn invalid(code: &'static str, field: &str, message: impl Into<Text>) -> Self {
        ApiError::Invalid {
            code,
            message: message.into(),
            field: Some(field.to_string()),
        }
    }
    pub fn conflict(code: &'static str, message: impl Into<Text>) -> Self {
        ApiError::Conflict(code, message.into())
    }
    /// A bad query-string value (400), where a bad body field is 422 (`From<FieldError>`).
    pub fn query(e: FieldError) -> Self {
        ApiError::BadRequest {
            code: e.code,
            message: Text::new(e.message_es, e.message_en),
            field: Some(e.field.to_string()),
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            ApiError::BadRequest { .. } => 400,
            ApiError::Unauthorized | ApiError::InvalidCredentials => 401,
            ApiError::Forbidden(..) => 403,
            ApiError::NotFound => 404,
            ApiError::MethodNotAllowed { .. } => 405,
            ApiError::Conflict(..) => 409,
            ApiError::TooLarge(_) => 413,
            ApiError::UnsupportedMedia(_) => 415,
            ApiError::Invalid { .. } => 422,
            ApiError::RateLimited { .. } => 429,
            ApiError::Gone(..) => 410,
            ApiError::Unavailable(..) => 503,
            ApiError::Internal(_) => 500,
        }
    }

    pub fn detail(&self) -> ErrorDetail {
        let fixed = |es: &str, en: &str| Text::new(es, en);
        let (code, messages, field): (&str, Text, Option<String>) = match self {
            ApiError::BadRequest {
                code,
                message,
                field,
            }
            | ApiError::Invalid {
                code,
                message,
                field,
            } => (code, message.clone(), field.clone()),
            ApiError::Unauthorized => (
                "unauthorized",
                fixed("Inicia sesión para continuar.", "Please sign in."),
                None,
            ),
            ApiError::InvalidCredentials => (
                "invalid_credentials",
                fixed(
                    "Correo o contraseña incorrectos.",
                    "Wrong e-mail or password.",
                ),
                None,
            ),
            ApiError::Forbidden(code, message) => (code, message.clone(), None),
            ApiError::NotFound => ("not_found", fixed("No encontrado.", "Not found."), None),
            ApiError::MethodNotAllowed { allow } => (
                "method_not_allowed",
                Text::new(
                    format!("Método no permitido aquí; usa {allow}."),
                    format!("Method not allowed here; use {allow}."),
                ),
                None,
            ),
            ApiError::Conflict(code, message)
            | ApiError::Gone(code, message)
            | ApiError::Unavailable(code, message) => (code, message.clone(), None),
            ApiError::TooLarge(message) => ("payload_too_large", message.clone(), None),
            ApiError::UnsupportedMedia(message) => {
                ("unsupported_media_type", message.clone(), None)
            }
            ApiError::RateLimited { .. } => (
                "rate_limited",
                fixed(
                    "Demasiados intentos; espera un minuto.",
                    "Too many attempts; wait a minute.",
                ),
                None,
            ),
            ApiError::Internal(_) => (
                "internal_error",
                fixed(
                    "Error interno; intenta de nuevo.",
                    "Internal error; please retry.",
                ),
                None,
            ),
        };
        ErrorDetail {
            code: code.to_string(),
            message: messages.es.clone(),
            messages,
            field,
        }
    }

    pub fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            worker::console_error!("internal error: {detail}");
        }
        let body = ErrorBody {
            error: self.detail(),
        };
        let mut resp = ResponseBuilder::new()
            .with_status(self.status())
            .from_json(&body)
            .unwrap_or_else(|_| ResponseBuilder::new().with_status(500).empty());
        let _ = resp
            .headers_mut()
            .set("Content-Type", "application/json; charset=utf-8");
        let _ = resp.headers_mut().set("Cache-Control", "no-store");
        if let ApiError::MethodNotAllowed { allow } = &self {
            let _ = resp.headers_mut().set("Allow", allow);
        }
        if let ApiError::RateLimited { retry_after } = &self {
            let _ = resp
                .headers_mut()
                .set("Retry-After", &retry_after.to_string());
        }
        resp
    }
}

impl From<worker::Error> for ApiError {
    fn from(e: worker::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

/// A paid-service step `domain::billing` refused: 409 for "not now", 422 on a field.
impl From<domain::billing::BillingError> for ApiError {
    fn from(e: domain::billing::BillingError) -> Self {
        let message = Text::from_lang(|l| e.message(l));
        match e.http_status() {
            409 => ApiError::Conflict(e.code(), message),
            _ => ApiError::Invalid {
                code: e.code(),
                message,
                field: e.field().map(str::to_string),
            },
        }
    }
}

/// A body field the domain refused: 422 with the field.
impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::Invalid {
            code: e.code,
            message: Text::new(e.message_es, e.message_en),
            field: Some(e.field.to_string()),
        }
    }
}

/// A ticket transition the domain refused: 403 for the wrong actor, 409 otherwise.
impl From<TransitionError> for ApiError {
    fn from(e: TransitionError) -> Self {
        let message = Text::from_lang(|l| e.message(l));
        match e {
            TransitionError::ForbiddenActor { .. } => ApiError::Forbidden(e.code(), message),
            _ => ApiError::Conflict(e.code(), message),
        }
    }
}

/// A reply or note the domain refused (`domain::ticket::messages`).
impl From<ReplyError> for ApiError {
    fn from(e: ReplyError) -> Self {
        match e {
            ReplyError::Transition(t) => t.into(),
            ReplyError::NoteByClient | ReplyError::KindByClient => {
                ApiError::Forbidden(e.code(), e.text())
            }
            ReplyError::UnknownKind | ReplyError::NoteWithStatus => ApiError::Invalid {
                code: e.code(),
                message: e.text(),
                field: Some("kind".into()),
            },
        }
    }
}

/// Suspending twice or lifting no suspension (`domain::accounts`): 409.
impl From<domain::accounts::SuspensionChangeError> for ApiError {
    fn from(e: domain::accounts::SuspensionChangeError) -> Self {
        ApiError::Conflict(e.code(), Text::from_lang(|l| e.message(l)))
    }
}

/// A command `domain::ticket::plan` refused.
impl From<domain::ticket::plan::DomainError> for ApiError {
    fn from(e: domain::ticket::plan::DomainError) -> Self {
        use domain::ticket::plan::DomainError as D;
        match e {
            D::Transition(t) => t.into(),
            D::Reply(r) => r.into(),
            D::Field(f) => f.into(),
            D::Suspended(s) => ApiError::Forbidden(s.code(), Text::from_lang(|l| s.refusal(l))),
            D::StaffOnly => ApiError::Forbidden(
                "staff_only",
                (
                    "Solo el personal de soporte puede hacer esto.",
                    "Only support staff can do this.",
                )
                    .into(),
            ),
            D::ClientsOnly => ApiError::Forbidden(
                "clients_only",
                (
                    "Los tickets los levantan los clientes.",
                    "Tickets are opened by clients.",
                )
                    .into(),
            ),
            D::Conflict { code, text } => ApiError::Conflict(code, text),
        }
    }
}
