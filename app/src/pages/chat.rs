//! Live chat (issue 15, P3). `/chat`: a client starts a chat from the portal — a ticket
//! (category `question`, subject from the first line) with a chat request, then its page.
//! `/chats`: staff mark themselves available and take waiting chats; the list updates live.
use domain::api::live::{ChatQueue, ChatStatus, LobbyClientFrame, LobbyFrame};
use domain::api::CreateTicketRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use send_wrapper::SendWrapper;

use crate::api;
use crate::components::page::Page;
use crate::components::tickets::{error_text, random_key};
use crate::i18n::*;
use crate::live::{
    chat_queue, chat_status, draft, request_chat, save_draft, take_chat, Link, LiveSocket,
};
use crate::pages::ticket::ChatClosed;

const DRAFT: &str = "chat.portal";

#[component]
pub fn ChatStartPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let status = LocalResource::new(chat_status);
    let services = LocalResource::new(|| api::services(None));
    let service = RwSignal::new(String::new());
    let text = RwSignal::new(draft(DRAFT));
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let key = StoredValue::new(random_key());

    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = text.get_untracked();
        let Some(subject) = domain::chat::subject_from_first_line(&body) else {
            error.set(Some(t_string!(i18n, live.empty).to_string()));
            return;
        };
        let service_id = service.get_untracked();
        if service_id.is_empty() {
            error.set(Some(t_string!(i18n, live.pick_service).to_string()));
            return;
        }
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let req = CreateTicketRequest {
                service_id,
                priority: "medium".into(),
                category: "question".into(),
                subject,
                description: body.trim().to_string(),
                steps: None,
                client_info: None,
                linked_to: None,
            };
            match api::create_ticket(req, key.get_value()).await {
                Ok(t) => {
                    save_draft(DRAFT, "");
                    // The ticket exists either way; an unavailable chat is said on its page.
                    let _ = request_chat(t.summary.id.clone()).await;
                    navigate(&format!("/tickets/{}", t.summary.id), Default::default());
                }
                Err(e) => {
                    busy.set(false);
                    error.set(Some(error_text(i18n, &e)));
                }
            }
        });
    };

    let form = move |st: ChatStatus| {
        let start = start.clone();
        if !st.available {
            return view! {
                <ChatClosed status=st />
                <p class="actions"><A href="/nuevo-ticket" attr:class="btn">{t!(i18n, nav.new_ticket)}</A></p>
            }
            .into_any();
        }
        let options = move || {
            services
                .get()
                .and_then(|r| r.ok())
                .unwrap_or_default()
                .into_iter()
                .filter(|s| s.eligible)
                .map(|s| view! { <option value=s.id.clone()>{s.name.clone()}</option> })
                .collect::<Vec<_>>()
        };
        view! {
            <form class="card" data-testid="chat-start-form" on:submit=start>
                <div class="field">
                    <label for="chat-service">{t!(i18n, live.service)}</label>
                    <select id="chat-service" data-testid="chat-service" on:change=move |ev| service.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, live.pick_service)}</option>
                        {options}
                    </select>
                </div>
                <div class="field">
                    <label for="chat-text">{t!(i18n, live.first_message)}</label>
                    <textarea id="chat-text" rows="4" data-testid="chat-text"
                        prop:value=move || text.get()
                        on:input=move |ev| { let v = event_target_value(&ev); save_draft(DRAFT, &v); text.set(v); }></textarea>
                </div>
                <p class="hint">{t!(i18n, live.on_record)}</p>
                <button type="submit" class="btn" data-testid="chat-submit" disabled=move || busy.get()>{t!(i18n, live.chat_now)}</button>
            </form>
        }
        .into_any()
    };

    view! {
        <Page title=|i| t_string!(i, live.title) lead=|i| t_string!(i, live.lead) class="chat-page">
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, app.loading)}</p> }>
                {move || status.get().map(|r| match r {
                    Ok(st) => form(st),
                    Err(e) => view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                })}
            </Transition>
        </Page>
    }
}

/// Opens the staff lobby socket for as long as the calling component lives.
pub fn use_lobby(
    on_frame: impl Fn(LobbyFrame) + 'static,
    link: RwSignal<Link>,
) -> StoredValue<Option<SendWrapper<LiveSocket>>> {
    let socket = StoredValue::new(None::<SendWrapper<LiveSocket>>);
    let s = LiveSocket::open(
        "/api/chat/live".into(),
        move |text| {
            if let Ok(f) = serde_json::from_str::<LobbyFrame>(&text) {
                on_frame(f);
            }
        },
        move |l| link.set(l),
    );
    let own = SendWrapper::new(s.clone());
    socket.set_value(Some(SendWrapper::new(s)));
    on_cleanup(move || own.close());
    socket
}

#[component]
pub fn ChatQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let version = RwSignal::new(0u32);
    let queue = LocalResource::new(move || {
        version.track();
        chat_queue()
    });
    let agents = RwSignal::new(0u32);
    let available = RwSignal::new(false);
    let link = RwSignal::new(Link::Connecting);
    let error = RwSignal::new(None::<String>);
    let socket = use_lobby(
        move |f| match f {
            LobbyFrame::Agents {
                available: n,
                you_available,
            } => {
                agents.set(n);
                available.set(you_available);
            }
            LobbyFrame::Queue => version.update(|v| *v += 1),
            _ => {}
        },
        link,
    );
    // Availability ends with the socket: after a reconnect it is asked for again.
    Effect::new(move |_| {
        if link.get() == Link::Open && available.get_untracked() {
            let text = serde_json::to_string(&LobbyClientFrame::Available { on: true })
                .unwrap_or_default();
            socket.with_value(|s| s.as_ref().map(|s| s.send(&text)));
        }
    });
    // The waiting times tick without the list being read again.
    let tick = leptos::prelude::set_interval_with_handle(
        move || version.update(|v| *v += 1),
        std::time::Duration::from_secs(60),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = tick {
            h.clear();
        }
    });
    let toggle = move |_| {
        let on = !available.get_untracked();
        let text = serde_json::to_string(&LobbyClientFrame::Available { on }).unwrap_or_default();
        let sent = socket
            .with_value(|s| s.as_ref().map(|s| s.send(&text)))
            .unwrap_or(false);
        if !sent {
            error.set(Some(t_string!(i18n, live.link_retrying).to_string()));
        }
    };
    let take = move |id: String| {
        let navigate = navigate.clone();
        spawn_local(async move {
            match take_chat(id.clone()).await {
                Ok(_) => navigate(&format!("/tickets/{id}"), Default::default()),
                Err(e) => {
                    error.set(Some(error_text(i18n, &e)));
                    version.update(|v| *v += 1);
                }
            }
        });
    };
    let rows = move |q: ChatQueue| {
        if q.chats.is_empty() {
            return view! { <p data-testid="chat-queue-empty">{t!(i18n, live.queue_empty)}</p> }
                .into_any();
        }
        let take = take.clone();
        view! {
            <ul class="chat-queue" data-testid="chat-queue">
                {q.chats.into_iter().map(|c| {
                    let id = c.ticket_id.clone();
                    let take = take.clone();
                    let waiting = c.taken_by.is_none();
                    view! {
                        <li class="card" data-testid="chat-row" data-ticket=c.ticket_id.clone()>
                            <p><A href=format!("/tickets/{}", c.ticket_id)>{c.number.clone()}" · "{c.subject.clone()}</A></p>
                            <p class="meta">{c.requester.clone()}" · "{c.company.clone()}" · "{t_string!(i18n, live.waiting)}" "{c.waiting_minutes}" min"</p>
                            {match c.taken_by {
                                Some(a) => view! { <p class="hint">{t_string!(i18n, live.taken_by)}" "{a.name}</p> }.into_any(),
                                None => ().into_any(),
                            }}
                            {waiting.then(|| view! {
                                <button type="button" class="btn" data-testid="chat-take" on:click=move |_| take(id.clone())>{t!(i18n, live.take)}</button>
                            })}
                        </li>
                    }
                }).collect::<Vec<_>>()}
            </ul>
        }
        .into_any()
    };
    view! {
        <Page title=|i| t_string!(i, live.queue_title) lead=|i| t_string!(i, live.queue_lead) class="chat-queue-page">
            <p class="actions">
                <button type="button" class="btn" data-testid="chat-available" aria-pressed=move || available.get().to_string() on:click=toggle>
                    {move || if available.get() { t_string!(i18n, live.available_on) } else { t_string!(i18n, live.available_off) }}
                </button>
                " "<span data-testid="chat-agents">{t_string!(i18n, live.agents_available)}" "{move || agents.get()}</span>
            </p>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, app.loading)}</p> }>
                {move || queue.get().map(|r| match r {
                    Ok(q) => rows(q),
                    Err(e) => view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                })}
            </Transition>
        </Page>
    }
}
