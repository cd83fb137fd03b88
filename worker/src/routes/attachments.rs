//! Screenshots (P13): PNG or JPEG by content only, 10 MB each, 5 per message;
//! bytes in R2, metadata in D1, served only to those who can see the ticket.
use domain::api::{AttachmentView, ErrorBody, EventData};
use domain::ticket::Status;
use domain::workflow::ImageType;
use domain::workflow::{self, ATTACHMENTS_PER_MESSAGE, ATTACHMENT_MAX_BYTES};
use worker::{FormData, FormEntry, HttpMetadata, Request, Response, ResponseBuilder};

use super::calendar::office_time;
use super::Ctx;
use crate::auth;
use crate::error::{ApiError, ApiResult};
use crate::http::json;
use crate::repo::tickets::{self as repo, NewAttachment, NewEvent};
use crate::util::{db_time, new_id, now};

const BUCKET: &str = "ATTACHMENTS";
/// Room for the multipart envelope around one file.
const ENVELOPE_BYTES: usize = 64 * 1024;

fn too_large() -> ApiError {
    let mb = ATTACHMENT_MAX_BYTES / 1024 / 1024;
    ApiError::TooLarge(
        (
            format!("Cada imagen puede pesar hasta {mb} MB."),
            format!("Each image may be up to {mb} MB."),
        )
            .into(),
    )
}

fn not_an_image(empty: bool) -> ApiError {
    ApiError::UnsupportedMedia(if empty {
        ("El archivo está vacío.", "The file is empty.").into()
    } else {
        (
            "Solo se aceptan imágenes PNG o JPEG (se revisa el contenido, no el nombre).",
            "Only PNG or JPEG images are accepted (the content is checked, not the name).",
        )
            .into()
    })
}

/// RFC 5987 encoding of a file name for `filename*=`.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An uploaded image that passed the checks every upload shares (tickets and KB):
/// multipart `file`, not empty, ≤ 10 MB, PNG or JPEG by its bytes.
pub struct CheckedImage {
    /// The rest of the form (e.g. `message_id`).
    pub form: FormData,
    pub kind: ImageType,
    pub bytes: Vec<u8>,
    /// The name the browser sent (to be cleaned with `workflow::attachment_name`).
    pub file_name: String,
}

/// Reads and checks the `file` of a multipart upload; nothing is stored here.
pub async fn checked_image(req: &mut Request) -> ApiResult<CheckedImage> {
    if let Some(len) = req.headers().get("Content-Length")? {
        if len
            .parse::<usize>()
            .is_ok_and(|n| n > ATTACHMENT_MAX_BYTES + ENVELOPE_BYTES)
        {
            return Err(too_large());
        }
    }
    let ct = req.headers().get("Content-Type")?.unwrap_or_default();
    if !ct.to_ascii_lowercase().starts_with("multipart/form-data") {
        return Err(ApiError::UnsupportedMedia(
            (
                "Envía el archivo como multipart/form-data en el campo «file».",
                "Send the file as multipart/form-data in the field \"file\".",
            )
                .into(),
        ));
    }
    let form = req.form_data().await.map_err(|_| {
        ApiError::bad_request(
            "malformed_form",
            ("Formulario ilegible.", "Unreadable form."),
        )
    })?;
    let Some(FormEntry::File(file)) = form.get("file") else {
        return Err(ApiError::invalid(
            "required",
            "file",
            (
                "Adjunta una imagen en el campo «file».",
                "Attach an image in the field \"file\".",
            ),
        ));
    };
    if file.size() > ATTACHMENT_MAX_BYTES {
        return Err(too_large());
    }
    let bytes = file.bytes().await?;
    if bytes.len() > ATTACHMENT_MAX_BYTES {
        return Err(too_large());
    }
    let kind = workflow::sniff_image(&bytes).ok_or_else(|| not_an_image(bytes.is_empty()))?;
    Ok(CheckedImage {
        form,
        kind,
        bytes,
        file_name: file.name(),
    })
}

/// Stores `bytes` in the R2 bucket under `key` with the checked content type.
pub async fn put_image(ctx: &Ctx, key: &str, kind: ImageType, bytes: Vec<u8>) -> ApiResult<()> {
    ctx.env
        .bucket(BUCKET)?
        .put(key, bytes)
        .http_metadata(HttpMetadata {
            content_type: Some(kind.content_type().into()),
            ..Default::default()
        })
        .execute()
        .await?;
    Ok(())
}

/// The stored image as a response: checked `Content-Type`, `nosniff`, inline
/// `Content-Disposition` with the cleaned name, no active content.
pub async fn image_response(
    ctx: &Ctx,
    key: &str,
    content_type: &str,
    name: &str,
    cache: &str,
) -> ApiResult<Response> {
    let object = ctx
        .env
        .bucket(BUCKET)?
        .get(key)
        .execute()
        .await?
        .ok_or(ApiError::NotFound)?;
    let bytes = match object.body() {
        Some(body) => body.bytes().await?,
        None => return Err(ApiError::NotFound),
    };
    let mut resp = ResponseBuilder::new().with_status(200).fixed(bytes);
    let h = resp.headers_mut();
    h.set("Content-Type", content_type)?;
    h.set("X-Content-Type-Options", "nosniff")?;
    h.set(
        "Content-Disposition",
        &format!(
            "inline; filename=\"{}\"; filename*=UTF-8''{}",
            name.replace(|c: char| !c.is_ascii() || c == '"', "_"),
            percent_encode(name)
        ),
    )?;
    h.set("Cache-Control", cache)?;
    h.set("Content-Security-Policy", "default-src 'none'; sandbox")?;
    Ok(resp)
}

#[utoipa::path(post, path = "/api/tickets/{id}/attachments", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number")),
    request_body(content_type = "multipart/form-data", description = "`file`: the image; optional `message_id` (default: your latest message on the ticket)"),
    responses(
        (status = 201, description = "Stored", body = AttachmentView),
        (status = 404, description = "Not visible to you", body = ErrorBody),
        (status = 409, description = "Too many files on that message, or the ticket is closed", body = ErrorBody),
        (status = 413, description = "Larger than 10 MB", body = ErrorBody),
        (status = 415, description = "Not PNG/JPEG by content (or empty)", body = ErrorBody),
        (status = 422, description = "Missing `file` or bad `message_id`", body = ErrorBody)))]
pub async fn upload(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let row = super::tickets::visible_row(ctx, &caller, id).await?;
    let staff = caller.role.is_staff();
    if !staff && row.status == Status::Closed.as_str() {
        return Err(ApiError::Conflict(
            "ticket_closed",
            ("El ticket está cerrado.", "The ticket is closed.").into(),
        ));
    }
    let CheckedImage {
        form,
        kind,
        bytes,
        file_name,
    } = checked_image(req).await?;

    // Which message the file belongs to.
    let message_id = match form.get("message_id") {
        Some(FormEntry::Field(mid)) if !mid.trim().is_empty() => {
            let m = repo::message(&ctx.db, &row.id, mid.trim())
                .await?
                .filter(|m| staff || m.author_id.as_deref() == Some(caller.id.as_str()))
                .ok_or_else(|| {
                    ApiError::invalid(
                        "unknown_message",
                        "message_id",
                        (
                            "Ese mensaje no es tuyo o no es de este ticket.",
                            "That message is not yours or not on this ticket.",
                        ),
                    )
                })?;
            Some(m.id)
        }
        _ => repo::latest_message_by(&ctx.db, &row.id, &caller.id)
            .await?
            .map(|m| m.id),
    };
    let name = workflow::attachment_name(&file_name, kind);
    let att_id = new_id()?;
    let key = format!("tickets/{}/{att_id}", row.id);
    let size = bytes.len() as i64;
    put_image(ctx, &key, kind, bytes).await?;
    let at = now();
    let now_s = db_time(at);
    let stored = repo::insert_attachment(
        &ctx.db,
        &NewAttachment {
            id: &att_id,
            ticket_id: &row.id,
            message_id: message_id.as_deref(),
            uploader_id: &caller.id,
            name: &name,
            content_type: kind.content_type(),
            size,
            r2_key: &key,
            now: &now_s,
        },
        ATTACHMENTS_PER_MESSAGE,
    )
    .await?;
    if !stored {
        ctx.env.bucket(BUCKET)?.delete(&key).await?;
        return Err(ApiError::Conflict(
            "too_many_attachments",
            (
                format!("Máximo {ATTACHMENTS_PER_MESSAGE} imágenes por mensaje."),
                format!("At most {ATTACHMENTS_PER_MESSAGE} images per message."),
            )
                .into(),
        ));
    }
    let event = repo::insert_event(
        &ctx.db,
        &NewEvent {
            ticket_id: &row.id,
            actor_id: Some(&caller.id),
            actor_kind: super::tickets::actor_kind(&caller),
            kind: "attachment_added",
            data: serde_json::to_string(&EventData {
                message_id: message_id.clone(),
                ..Default::default()
            })?,
            now: &now_s,
        },
        None,
    )?;
    repo::commit(&ctx.db, vec![event]).await?;
    // Issue 15: the ticket's live sockets read it again (the file is on its message).
    ctx.live
        .borrow_mut()
        .push(crate::live::Push::changed(&row.id, "attachment", None));
    let cal = super::calendar::calendar(ctx).await?;
    json(
        201,
        &AttachmentView {
            url: format!("/api/attachments/{att_id}"),
            id: att_id,
            name,
            size,
            content_type: kind.content_type().into(),
            message_id,
            created_at: office_time(&cal, at),
        },
    )
}

#[utoipa::path(get, path = "/api/attachments/{id}", tag = "tickets",
    params(("id" = String, Path, description = "Attachment id")),
    responses(
        (status = 200, description = "The image, with its checked Content-Type, nosniff and Content-Disposition", content_type = "image/png"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such file or its ticket is not visible to you", body = ErrorBody)))]
pub async fn download(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let att = repo::attachment(&ctx.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    super::tickets::visible_row(ctx, &caller, &att.ticket_id).await?;
    if att.internal != 0 && !caller.role.is_staff() {
        return Err(ApiError::NotFound);
    }
    image_response(
        ctx,
        &att.r2_key,
        &att.content_type,
        &att.name,
        "private, max-age=3600",
    )
    .await
}
