//! Live frames (issue 15): JSON over the ticket's WebSocket (`GET /api/tickets/{id}/live`)
//! and the staff lobby's (`GET /api/chat/live`), plus the chat endpoints' bodies.
use serde::{Deserialize, Serialize};

use super::{ErrorDetail, MessageView, Role};

/// Someone connected to a ticket or the lobby.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: String,
    pub name: String,
    pub role: Role,
}

/// What the server sends on a ticket's socket. Every message carries its per-ticket `seq`:
/// clients keep the timeline ordered by it (and drop a `seq` they already have).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// First frame after the upgrade: who you are and who else is here.
    Hello {
        you: Viewer,
        viewers: Vec<Viewer>,
    },
    /// Who is connected now (unique people).
    Presence {
        viewers: Vec<Viewer>,
    },
    /// A stored message (notes only on staff sockets).
    Message {
        message: MessageView,
    },
    /// The ticket changed otherwise (status, assignment, attachment…): read it again.
    Changed {
        what: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
    },
    /// Someone is typing (a note: staff sockets only).
    Typing {
        user: Viewer,
        internal: bool,
    },
    /// Your `send` was stored as `message_id` with `seq`.
    Ack {
        client_id: String,
        message_id: String,
        seq: i64,
    },
    /// A `send` refused (or a bad frame); the socket stays open.
    Error {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
        error: ErrorDetail,
    },
    /// An agent took the chat of this ticket.
    ChatTaken {
        agent: Viewer,
    },
    Pong,
}

/// What a client sends on a ticket's socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// A reply or note: the same rules as `POST /api/tickets/{id}/messages`.
    Send {
        body: String,
        #[serde(default)]
        internal: Option<bool>,
        #[serde(default)]
        kind: Option<String>,
        /// Echoed in the `ack` / `error`, so the sender can match its draft.
        #[serde(default)]
        client_id: Option<String>,
    },
    Typing {
        #[serde(default)]
        internal: bool,
    },
    Ping,
}

/// `GET /api/chat/status`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatStatus {
    pub available: bool,
    /// `closed` (outside office hours, P4) | `no_agents` (nobody available)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When office hours start again (office offset), when `reason` is `closed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_opening: Option<String>,
    /// Agents available right now (staff only; 0 for clients).
    #[serde(default)]
    pub agents: u32,
}

/// A chat in the agents' live queue (`GET /api/chat/queue`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatQueueItem {
    pub ticket_id: String,
    pub number: String,
    pub subject: String,
    pub company: String,
    pub requester: String,
    pub requested_at: String,
    /// Whole minutes since the chat was requested.
    pub waiting_minutes: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_by: Option<super::UserRef>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatQueue {
    pub chats: Vec<ChatQueueItem>,
}

/// `POST /api/tickets/{id}/chat` and `…/chat/take`: the chat of a ticket.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatView {
    pub ticket_id: String,
    pub requested_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_by: Option<super::UserRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_at: Option<String>,
}

/// What the staff lobby socket sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LobbyFrame {
    /// Chats waiting or taken changed: read `GET /api/chat/queue` again.
    Queue,
    /// A ticket was created or a client wrote: the ticket queue is stale.
    Tickets {
        ticket_id: String,
        what: String,
    },
    /// How many agents are available (after a toggle or a socket went away).
    Agents {
        available: u32,
        you_available: bool,
    },
    Pong,
}

/// What the server sends on a person's own socket (`GET /api/live`: the notification bell).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum UserFrame {
    /// A notice for this person was written: read `GET /api/notifications` again.
    Notifications,
    Pong,
}

/// What staff send on the lobby socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LobbyClientFrame {
    /// Toggle availability for chats (expires with the socket).
    Available {
        on: bool,
    },
    Ping,
}
