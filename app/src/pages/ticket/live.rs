//! The ticket's live side (issue 15): who else is here, who is typing, messages that
//! arrived since the page was read, a chat line that sends over the socket (over HTTP when
//! the socket is down, polling every 15 s meanwhile), drafts kept in localStorage, and the
//! client's "chat now" (office hours and available agents, P4).
//!
//! It sits outside the ticket's `<Transition>`, so a live update never re-renders the
//! chat line being typed in; a frame that changes more than messages reads the ticket again.
use domain::api::live::{ChatStatus, ClientFrame, ServerFrame, Viewer};
use domain::api::{MessageView, PostMessageRequest, Role, TicketDetail};
use domain::ticket::Status;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use crate::api::{self, ApiError};
use crate::components::tickets::{error_text, fmt_time};
use crate::i18n::*;
use crate::live::{draft, save_draft, Link, LiveSocket};

const POLL_MS: u64 = 15_000;

fn max_seq(d: &TicketDetail) -> i64 {
    d.messages.iter().map(|m| m.seq).max().unwrap_or(0)
}

#[component]
pub(super) fn LivePanel(
    id: Memo<String>,
    ticket: LocalResource<Result<TicketDetail, ApiError>>,
    staff: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let link = RwSignal::new(Link::Connecting);
    let me = RwSignal::new(None::<String>);
    let viewers = RwSignal::new(Vec::<Viewer>::new());
    let typing = RwSignal::new(None::<(Viewer, f64)>);
    let arrived = RwSignal::new(Vec::<MessageView>::new());
    let agent = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let line = RwSignal::new(String::new());
    let pending = RwSignal::new(None::<String>);
    let chat = RwSignal::new(None::<ChatStatus>);
    let asked = RwSignal::new(false);
    let socket = StoredValue::new(None::<SendWrapper<LiveSocket>>);
    let opened_once = StoredValue::new(false);
    let last_typing = StoredValue::new(0f64);

    // The loaded ticket's newest message: what arrived after it is shown here.
    let loaded_seq = Memo::new(move |_| {
        ticket
            .get()
            .and_then(|r| r.ok())
            .map(|d| max_seq(&d))
            .unwrap_or(0)
    });
    let status = Memo::new(move |_| ticket.get().and_then(|r| r.ok()).map(|d| d.summary.status));

    let on_frame = move |text: String| {
        let Ok(frame) = serde_json::from_str::<ServerFrame>(&text) else {
            return;
        };
        match frame {
            ServerFrame::Hello { you, viewers: v } => {
                me.set(Some(you.id));
                viewers.set(v);
                // A reconnect: what was missed meanwhile is read with the ticket.
                if opened_once.get_value() {
                    ticket.refetch();
                }
                opened_once.set_value(true);
            }
            ServerFrame::Presence { viewers: v } => viewers.set(v),
            ServerFrame::Message { message } => {
                typing.update(|t| {
                    if t.as_ref()
                        .is_some_and(|(v, _)| Some(&v.id) == message.author.as_ref().map(|a| &a.id))
                    {
                        *t = None;
                    }
                });
                arrived.update(|list| {
                    if !list.iter().any(|m| m.id == message.id) {
                        list.push(message);
                        list.sort_by_key(|m| m.seq);
                    }
                });
            }
            ServerFrame::Changed { .. } => ticket.refetch(),
            ServerFrame::Typing { user, .. } => typing.set(Some((user, js_sys::Date::now()))),
            ServerFrame::Ack { client_id, .. } => {
                if pending.get_untracked().as_deref() == Some(client_id.as_str()) {
                    pending.set(None);
                    line.set(String::new());
                    save_draft(&format!("chat.{}", id.get_untracked()), "");
                }
            }
            ServerFrame::Error {
                client_id,
                error: e,
            } => {
                if client_id.is_some() {
                    pending.set(None);
                }
                let e = ApiError {
                    status: 400,
                    code: e.code,
                    message: e.message,
                    messages: Some(e.messages),
                    field: e.field,
                };
                error.set(Some(error_text(i18n, &e)));
            }
            ServerFrame::ChatTaken { agent: a } => agent.set(Some(a.name)),
            ServerFrame::Pong => {}
        }
    };

    // One socket per ticket shown; closed when the ticket changes or the page is left.
    Effect::new(move |_| {
        let tid = id.get();
        line.set(draft(&format!("chat.{tid}")));
        arrived.set(Vec::new());
        opened_once.set_value(false);
        let s = LiveSocket::open(
            format!("/api/tickets/{}/live", api::enc(&tid)),
            on_frame,
            move |l| link.set(l),
        );
        let own = SendWrapper::new(s.clone());
        socket.set_value(Some(SendWrapper::new(s)));
        // The socket itself (not the stored value, which may be gone by then) is closed.
        on_cleanup(move || own.close());
    });

    // Polling while the socket is down: the ticket is read again when it has news.
    let poll = leptos::prelude::set_interval_with_handle(
        move || {
            if matches!(link.get_untracked(), Link::Down(n) if n >= 2) {
                let tid = id.get_untracked();
                let have = loaded_seq.get_untracked();
                spawn_local(async move {
                    if let Ok(d) = api::ticket(tid).await {
                        if max_seq(&d) > have {
                            ticket.set(Some(Ok(d)));
                        }
                    }
                });
            }
        },
        std::time::Duration::from_millis(POLL_MS),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = poll {
            h.clear();
        }
    });
    // Typing indicators fade after 4 s.
    let fade = leptos::prelude::set_interval_with_handle(
        move || {
            if typing.with_untracked(|t| {
                t.as_ref()
                    .is_some_and(|(_, at)| js_sys::Date::now() - at > 4_000.0)
            }) {
                typing.set(None);
            }
        },
        std::time::Duration::from_millis(1_000),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = fade {
            h.clear();
        }
    });

    let send_socket = move |frame: &ClientFrame| -> bool {
        let text = serde_json::to_string(frame).unwrap_or_default();
        socket
            .with_value(|s| s.as_ref().map(|s| s.send(&text)))
            .unwrap_or(false)
    };
    let on_input = move |text: String| {
        save_draft(&format!("chat.{}", id.get_untracked()), &text);
        line.set(text);
        let now = js_sys::Date::now();
        if now - last_typing.get_value() > 2_000.0 {
            last_typing.set_value(now);
            send_socket(&ClientFrame::Typing { internal: false });
        }
    };
    let send = move || {
        let body = line.get_untracked();
        if body.trim().is_empty() || pending.get_untracked().is_some() {
            return;
        }
        error.set(None);
        let client_id = format!("c{}", js_sys::Date::now() as u64);
        pending.set(Some(client_id.clone()));
        let frame = ClientFrame::Send {
            body: body.clone(),
            internal: None,
            kind: None,
            client_id: Some(client_id),
        };
        if !send_socket(&frame) {
            // No socket: the same message over HTTP, then the ticket is read again.
            let tid = id.get_untracked();
            spawn_local(async move {
                let req = PostMessageRequest {
                    body,
                    internal: None,
                    kind: None,
                };
                match api::post_message(tid.clone(), req).await {
                    Ok(_) => {
                        pending.set(None);
                        line.set(String::new());
                        save_draft(&format!("chat.{tid}"), "");
                        if let Ok(d) = api::ticket(tid).await {
                            ticket.set(Some(Ok(d)));
                        }
                    }
                    Err(e) => {
                        pending.set(None);
                        error.set(Some(error_text(i18n, &e)));
                    }
                }
            });
        }
    };
    let start_chat = move |_| {
        let tid = id.get_untracked();
        error.set(None);
        spawn_local(async move {
            match crate::live::chat_status().await {
                Ok(st) if st.available => match crate::live::request_chat(tid).await {
                    Ok(c) => {
                        asked.set(true);
                        if let Some(a) = c.taken_by {
                            agent.set(Some(a.name));
                        }
                    }
                    Err(e) => error.set(Some(error_text(i18n, &e))),
                },
                Ok(st) => chat.set(Some(st)),
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        });
    };

    let others = move || {
        let mine = me.get();
        viewers
            .get()
            .into_iter()
            .filter(|v| Some(&v.id) != mine.as_ref())
            .collect::<Vec<_>>()
    };
    let presence = move || {
        others()
            .into_iter()
            .map(|v| {
                let text = match (staff, v.role) {
                    (false, Role::Agent | Role::Admin) => {
                        format!("{}{}", v.name, t_string!(i18n, live.support_viewing))
                    }
                    (_, Role::Client) => {
                        format!("{}{}", v.name, t_string!(i18n, live.client_viewing))
                    }
                    _ => format!("{}{}", v.name, t_string!(i18n, live.staff_viewing)),
                };
                view! { <li data-testid="live-viewer">{text}</li> }
            })
            .collect::<Vec<_>>()
    };
    let link_text = move || match link.get() {
        Link::Open => t_string!(i18n, live.link_open),
        Link::Connecting => t_string!(i18n, live.link_connecting),
        Link::Down(n) if n >= 2 => t_string!(i18n, live.link_polling),
        Link::Down(_) => t_string!(i18n, live.link_retrying),
    };
    let finished = move || status.get().is_some_and(|s| s == Status::Closed);
    let fresh = move || {
        let after = loaded_seq.get();
        arrived
            .get()
            .into_iter()
            .filter(|m| m.seq > after && (staff || !m.internal))
            .map(|m| {
                let who = m.author.as_ref().map(|a| a.name.clone()).unwrap_or_default();
                let at = fmt_time(i18n, &m.created_at);
                view! {
                    <li class=if m.internal { "live-msg note" } else { "live-msg" } data-testid="live-message" data-seq=m.seq>
                        <p class="meta"><strong>{who}</strong>" · "{at}</p>
                        <p class="body">{m.body}</p>
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };

    view! {
        <section class="live card" data-testid="live-panel" aria-live="polite">
            <p class="live-link" data-testid="live-link" data-state=move || match link.get() { Link::Open => "open", Link::Connecting => "connecting", Link::Down(_) => "down" }>{link_text}</p>
            <ul class="live-viewers">{presence}</ul>
            {move || agent.get().map(|a| view! { <p class="notice" data-testid="chat-connected">{t_string!(i18n, live.connected_with)}" "{a}</p> })}
            {move || typing.get().map(|(v, _)| view! { <p class="hint" data-testid="live-typing">{v.name}{t_string!(i18n, live.typing)}</p> })}
            <ul class="live-messages">{fresh}</ul>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="live-error">{e}</p> })}
            {move || (!finished()).then(|| view! {
                <form class="live-line" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); send(); }>
                    <label for="live-line">{t!(i18n, live.line_label)}</label>
                    <textarea id="live-line" rows="2" data-testid="live-input"
                        prop:value=move || line.get()
                        on:input=move |ev| on_input(event_target_value(&ev))
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            if ev.key() == "Enter" && !ev.shift_key() { ev.prevent_default(); send(); }
                        }></textarea>
                    <button type="submit" class="btn" data-testid="live-send" disabled=move || pending.get().is_some()>{t!(i18n, live.send)}</button>
                </form>
            })}
            {move || (!staff && !finished() && !asked.get() && agent.get().is_none()).then(|| view! {
                <p class="actions"><button type="button" class="btn btn-secondary" data-testid="chat-start" on:click=start_chat>{t!(i18n, live.chat_now)}</button></p>
            })}
            {move || asked.get().then(|| view! { <p class="hint" data-testid="chat-waiting">{t!(i18n, live.chat_waiting)}</p> })}
            {move || chat.get().map(|c| view! { <ChatClosed status=c /> })}
        </section>
    }
}

/// Why chat is not offered now, and when it opens (P4); the ticket stays the channel (P1).
#[component]
pub fn ChatClosed(status: ChatStatus) -> impl IntoView {
    let i18n = use_i18n();
    let when = status
        .next_opening
        .as_deref()
        .map(|t| fmt_time(i18n, t))
        .unwrap_or_default();
    let closed = status.reason.as_deref() == Some("closed");
    view! {
        <div class="notice" data-testid="chat-unavailable" data-reason=status.reason.clone().unwrap_or_default()>
            {if closed {
                view! { <p>{t!(i18n, live.closed)}" "<strong>{when}</strong></p> }.into_any()
            } else {
                view! { <p>{t!(i18n, live.no_agents)}</p> }.into_any()
            }}
            <p>{t!(i18n, live.leave_ticket)}</p>
        </div>
    }
}
