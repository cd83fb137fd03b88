//! The notification bell (issue 11): the unread count in the nav, the newest notices,
//! mark one (by opening it) or all read. Issue 15: the person's own socket (`/api/live`)
//! says when a notice was written; while it is down the bell polls every 10 s instead.
use domain::api::live::UserFrame;
use domain::api::notifications::{MarkReadRequest, NotificationList};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::*;
use crate::live::{Link, LiveSocket};

const POLL_SECS: u64 = 10;

#[component]
pub fn NotificationBell() -> impl IntoView {
    let i18n = use_i18n();
    let list = RwSignal::new(None::<NotificationList>);
    let open = RwSignal::new(false);
    let link = RwSignal::new(Link::Connecting);
    let load = move || {
        spawn_local(async move {
            if let Ok(l) = api::notifications().await {
                list.set(Some(l));
            }
        })
    };
    load();
    let socket = send_wrapper::SendWrapper::new(LiveSocket::open(
        "/api/live".into(),
        move |text| {
            if matches!(
                serde_json::from_str::<UserFrame>(&text),
                Ok(UserFrame::Notifications)
            ) {
                load();
            }
        },
        move |l| {
            // Back after a drop: catch up on what was written meanwhile.
            if l == Link::Open && matches!(link.get_untracked(), Link::Down(_)) {
                load();
            }
            link.set(l);
        },
    ));
    let poll = move || {
        if link.get_untracked() != Link::Open {
            load();
        }
    };
    if let Ok(handle) = set_interval_with_handle(poll, std::time::Duration::from_secs(POLL_SECS)) {
        on_cleanup(move || {
            handle.clear();
            socket.close();
        });
    }
    let unread = move || list.with(|l| l.as_ref().map(|l| l.unread).unwrap_or(0));
    let mark = move |req: MarkReadRequest| {
        spawn_local(async move {
            if api::mark_read(&req).await.is_ok() {
                if let Ok(l) = api::notifications().await {
                    list.set(Some(l));
                }
            }
        })
    };
    let items = move || {
        list.with(|l| {
            l.as_ref()
                .map(|l| {
                    l.notifications
                        .iter()
                        .map(|n| {
                            let id = n.id;
                            let href = n.link.clone().unwrap_or_else(|| "#".into());
                            let class = if n.read {
                                "bell-item read"
                            } else {
                                "bell-item unread"
                            };
                            view! {
                                <li class=class data-notification=id.to_string()>
                                    <a
                                        href=href
                                        on:click=move |_| {
                                            open.set(false);
                                            mark(MarkReadRequest {
                                                ids: Some(vec![id]),
                                                all: None,
                                            });
                                        }
                                    >
                                        <strong>{n.title.clone()}</strong>
                                    </a>
                                    <p>{n.body.clone()}</p>
                                </li>
                            }
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <div class="bell">
            <button
                type="button"
                class="btn btn-ghost bell-button"
                data-bell=""
                aria-expanded=move || open.get().to_string()
                on:click=move |_| {
                    open.update(|o| *o = !*o);
                    if open.get_untracked() {
                        load();
                    }
                }
            >
                <span aria-hidden="true">"🔔"</span>
                <span class="visually-hidden">{t!(i18n, notifications.bell)}</span>
                <span
                    class="bell-count"
                    data-bell-count=move || unread().to_string()
                    data-bell-live=move || (link.get() == Link::Open).to_string()
                >
                    {move || unread()}
                </span>
            </button>
            <Show when=move || open.get()>
                <div class="bell-panel" data-bell-panel="">
                    <button
                        type="button"
                        class="btn btn-ghost"
                        data-bell-read-all=""
                        on:click=move |_| mark(MarkReadRequest { ids: None, all: Some(true) })
                    >
                        {t!(i18n, notifications.mark_all)}
                    </button>
                    <a href="/preferencias" class="bell-prefs" data-bell-prefs="" on:click=move |_| open.set(false)>
                        {t!(i18n, notifications.preferences)}
                    </a>
                    <ul class="bell-list">{items}</ul>
                    <Show when=move || list.with(|l| l.as_ref().is_none_or(|l| l.notifications.is_empty()))>
                        <p class="muted">{t!(i18n, notifications.none)}</p>
                    </Show>
                </div>
            </Show>
        </div>
    }
}
