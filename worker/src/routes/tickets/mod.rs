//! Tickets end to end (issue 5): create, list, read, reply, status changes,
//! reopen/close, assignment, merge, flags, out-of-scope, duplicates.
//!
//! Every status change goes through [`change`]: read the ticket → decide with
//! `domain::ticket::apply` and `domain::workflow::deadlines` → one guarded
//! batch (messages, events, ticket update) → retry when another writer changed
//! the status in between. Due times come from `domain::sla::compute` over the
//! timeline and are re-stored whenever a ticket is read in full.
use crate::util::parse_db_time;
use chrono::{DateTime, Utc};
use domain::api::ops::{ShiftRequest, ShiftResponse};
use domain::api::Role;
use domain::ticket::commands::CommandContext;
use domain::ticket::visibility::{visible_to, Viewer, Visibility};
use domain::ticket::{Actor, Status, TransitionContext};
use domain::validation::FieldError;
use worker::{Request, Response};

use super::Ctx;
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::http::{ok, read_json};
use crate::repo::tickets::{self as repo, TicketRow};

pub mod change;
pub mod create;
pub mod messages;
pub mod read;
pub mod staff;
pub mod status;
pub mod views;

pub(crate) use change::*;
pub use create::create;
pub(crate) use create::parse_field;
pub use messages::post_message;
pub use read::{get, list, similar};
pub use staff::{assign, flag, merge, out_of_scope};
pub(crate) use status::optional_json;
pub use status::{close, reopen, set_status};
pub(crate) use views::*;

pub(crate) const MESSAGE_MAX: usize = 20_000;
pub(crate) const REASON_MAX: usize = 500;

// ---------------------------------------------------------------------------
// Errors, roles, visibility

pub(crate) fn field_err(e: FieldError) -> ApiError {
    e.into()
}

pub(crate) fn query_err(e: FieldError) -> ApiError {
    ApiError::query(e)
}

/// The facts `domain::ticket::commands` decides on, for this caller and ticket.
pub(crate) fn command_context(
    caller: &Caller,
    row: &TicketRow,
    status: Status,
    now: DateTime<Utc>,
) -> CommandContext {
    CommandContext {
        status,
        actor: actor_of(caller),
        assigned_to_caller: row.assignee_id.as_deref() == Some(caller.id.as_str()),
        transition: TransitionContext {
            now,
            reopen_deadline: row.reopen_until.as_deref().and_then(parse_db_time),
        },
    }
}

pub(crate) fn actor_of(caller: &Caller) -> Actor {
    match caller.role {
        Role::Client => Actor::Client,
        Role::Agent => Actor::Agent,
        Role::Admin => Actor::Admin,
    }
}

pub(crate) fn internal<T>(what: &str) -> impl FnOnce(T) -> ApiError + '_ {
    move |_| ApiError::Internal(format!("bad stored value: {what}"))
}

pub(crate) fn status_of(row: &TicketRow) -> ApiResult<Status> {
    row.status.parse().map_err(internal("status"))
}

/// Staff see every ticket; a client sees their company's, or only their own
/// when the company restricts it.
pub(crate) fn can_see(caller: &Caller, row: &TicketRow) -> bool {
    visible_to(
        Viewer {
            role: caller.role,
            user_id: &caller.id,
            company_id: caller.company.as_ref().map(|c| c.id.as_str()),
        },
        audience(row),
    )
}

/// Who may see the ticket, for the domain's visibility and merge rules.
pub(crate) fn audience(row: &TicketRow) -> Visibility<'_> {
    Visibility {
        company_id: &row.company_id,
        requester_id: &row.requester_id,
        company_only_own: row.company_only_own != 0,
    }
}

/// The ticket if the caller may see it; 404 otherwise (never reveals existence).
pub(crate) async fn visible(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<TicketRow> {
    match repo::get(&ctx.db, id).await? {
        Some(row) if can_see(caller, &row) => Ok(row),
        _ => Err(ApiError::NotFound),
    }
}

// ---------------------------------------------------------------------------
// Test hook

/// `POST /api/admin/debug/shift-ticket {ticket_id, hours}`: moves a ticket's instants into
/// the past. Exists only when `MDS_ALLOW_TEST_HOOKS = "1"` (set by `cargo xtask test`).
pub async fn debug_shift(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let enabled = ctx
        .env
        .var("MDS_ALLOW_TEST_HOOKS")
        .map(|v| v.to_string() == "1")
        .unwrap_or(false);
    if !enabled {
        return Err(ApiError::NotFound);
    }
    auth::require(&ctx.db, req).await?.require_admin()?;
    let input: ShiftRequest = read_json(req).await?;
    if !(1..=100_000).contains(&input.hours) {
        return Err(ApiError::invalid(
            "invalid_hours",
            "hours",
            ("Entre 1 y 100000 horas.", "Between 1 and 100000 hours."),
        ));
    }
    let row = repo::get(&ctx.db, &input.ticket_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    repo::shift_into_past(&ctx.db, &row.id, input.hours).await?;
    ok(&ShiftResponse {
        shifted: row.id,
        hours: input.hours,
    })
}

/// For sibling handlers (attachments): the ticket if visible to the caller, else 404.
pub async fn visible_row(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<TicketRow> {
    visible(ctx, caller, id).await
}

pub fn actor_kind(caller: &Caller) -> &'static str {
    actor_of(caller).as_str()
}
