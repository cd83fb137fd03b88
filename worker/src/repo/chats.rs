//! Live chat (issue 15): the `chats` table — a request for real-time attention on a ticket.
use serde::Deserialize;
use worker::D1Database;

use super::{all, first, run, s};
use crate::error::ApiResult;

#[derive(Debug, Clone, Deserialize)]
pub struct ChatRow {
    pub ticket_id: String,
    pub requested_at: String,
    pub taken_by: Option<String>,
    pub taken_by_name: Option<String>,
    pub taken_at: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct QueueRow {
    pub ticket_id: String,
    pub number: String,
    pub subject: String,
    pub company: String,
    pub requester: String,
    pub requested_at: String,
    pub taken_by: Option<String>,
    pub taken_by_name: Option<String>,
}

const CHAT: &str = "SELECT c.ticket_id, c.requested_at, c.taken_by, u.name AS taken_by_name, \
     c.taken_at FROM chats c LEFT JOIN users u ON u.id = c.taken_by WHERE c.ticket_id = ?1";

pub async fn get(db: &D1Database, ticket_id: &str) -> ApiResult<Option<ChatRow>> {
    first(db, CHAT, &[s(ticket_id)]).await
}

/// Requests a chat on the ticket; a chat already requested (waiting or taken) stays as it is.
pub async fn request(
    db: &D1Database,
    ticket_id: &str,
    requester_id: &str,
    now: &str,
) -> ApiResult<Option<ChatRow>> {
    run(
        db,
        "INSERT INTO chats (ticket_id, requester_id, requested_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (ticket_id) DO NOTHING",
        &[s(ticket_id), s(requester_id), s(now)],
    )
    .await?;
    get(db, ticket_id).await
}

/// Takes a waiting chat: one guarded UPDATE, so two agents clicking at once cannot both
/// take it. `false` when it was taken already (or there is no chat).
pub async fn take(db: &D1Database, ticket_id: &str, agent_id: &str, now: &str) -> ApiResult<bool> {
    Ok(run(
        db,
        "UPDATE chats SET taken_by = ?2, taken_at = ?3 WHERE ticket_id = ?1 AND taken_by IS NULL",
        &[s(ticket_id), s(agent_id), s(now)],
    )
    .await?
        == 1)
}

/// Chats of tickets still open: waiting first (oldest first), then the taken ones.
pub async fn queue(db: &D1Database, finished: &str) -> ApiResult<Vec<QueueRow>> {
    all(
        db,
        &format!(
            "SELECT c.ticket_id, t.number, t.subject, co.name AS company, r.name AS requester, \
             c.requested_at, c.taken_by, a.name AS taken_by_name \
             FROM chats c JOIN tickets t ON t.id = c.ticket_id \
             JOIN companies co ON co.id = t.company_id JOIN users r ON r.id = t.requester_id \
             LEFT JOIN users a ON a.id = c.taken_by \
             WHERE t.status NOT IN {finished} \
             ORDER BY c.taken_by IS NOT NULL, c.requested_at LIMIT 100"
        ),
        &[],
    )
    .await
}
