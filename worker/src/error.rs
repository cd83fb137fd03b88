//! The one error type of the API: every failure becomes `{"error":{code,message,field?}}`
//! with the right status. Internal details are logged, never sent.
use domain::api::{ErrorBody, ErrorDetail};
use worker::{Response, ResponseBuilder};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest {
        code: &'static str,
        message: String,
        field: Option<String>,
    },
    #[error("sign in required")]
    Unauthorized,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("forbidden: {0}")]
    Forbidden(&'static str, String),
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(&'static str, String),
    #[error("payload too large")]
    TooLarge(String),
    #[error("unsupported media type")]
    UnsupportedMedia(String),
    #[error("{message}")]
    Invalid {
        code: &'static str,
        message: String,
        field: Option<String>,
    },
    #[error("rate limited")]
    RateLimited { retry_after: u32 },
    #[error("internal: {0}")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code,
            message: message.into(),
            field: None,
        }
    }
    pub fn bad_field(field: &str, message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code: "invalid_parameter",
            message: message.into(),
            field: Some(field.to_string()),
        }
    }
    pub fn invalid(code: &'static str, field: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid {
            code,
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            ApiError::BadRequest { .. } => 400,
            ApiError::Unauthorized | ApiError::InvalidCredentials => 401,
            ApiError::Forbidden(..) => 403,
            ApiError::NotFound => 404,
            ApiError::Conflict(..) => 409,
            ApiError::TooLarge(_) => 413,
            ApiError::UnsupportedMedia(_) => 415,
            ApiError::Invalid { .. } => 422,
            ApiError::RateLimited { .. } => 429,
            ApiError::Internal(_) => 500,
        }
    }

    fn detail(&self) -> ErrorDetail {
        let (code, message, field): (&str, String, Option<String>) = match self {
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
                "Inicia sesión para continuar. / Please sign in.".into(),
                None,
            ),
            ApiError::InvalidCredentials => (
                "invalid_credentials",
                "Correo o contraseña incorrectos. / Wrong e-mail or password.".into(),
                None,
            ),
            ApiError::Forbidden(code, message) => (code, message.clone(), None),
            ApiError::NotFound => ("not_found", "No encontrado. / Not found.".into(), None),
            ApiError::Conflict(code, message) => (code, message.clone(), None),
            ApiError::TooLarge(message) => ("payload_too_large", message.clone(), None),
            ApiError::UnsupportedMedia(message) => {
                ("unsupported_media_type", message.clone(), None)
            }
            ApiError::RateLimited { .. } => (
                "rate_limited",
                "Demasiados intentos; espera un minuto. / Too many attempts; wait a minute.".into(),
                None,
            ),
            ApiError::Internal(_) => (
                "internal_error",
                "Error interno; intenta de nuevo. / Internal error; please retry.".into(),
                None,
            ),
        };
        ErrorDetail {
            code: code.to_string(),
            message,
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
