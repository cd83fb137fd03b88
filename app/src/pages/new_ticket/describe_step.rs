//! Step 2: subject, description and steps, with live KB suggestions (P11) and
//! the warning about similar open tickets (P12). Those two are a chunk of their own
//! (`form_extras`, issue 14), downloaded on the subject's first keystroke: they show
//! nothing before 3 characters and a 350 ms pause anyway.
use std::time::Duration;

use domain::api::kb::SearchResult;
use domain::api::SimilarTicket;
use domain::validation::SUBJECT_MAX;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use super::state::FormState;
use crate::api;
use crate::i18n::*;
use crate::lazy::lazy_part;
use crate::pages::kb::kb_session;
use crate::split_part;

split_part!(form_extras: fn suggestions_part(state: FormState) {
    view! { <LiveSuggestions state /> }
});

#[component]
pub(super) fn DescribeStep(state: FormState) -> impl IntoView {
    let i18n = use_i18n();
    let FormState {
        step,
        subject,
        description,
        steps,
        ..
    } = state;
    // Set on the subject's first change, never unset: the suggestions' chunk loads then.
    let typed = RwSignal::new(!subject.get_untracked().is_empty());
    Effect::new(move |prev: Option<()>| {
        subject.track();
        if prev.is_some() {
            typed.set(true);
        }
    });
    view! {
        <fieldset class="step" class:is-current=move || step.get() == 2 data-step="2">
            <legend>{t!(i18n, new_ticket.step2)}</legend>
            <p class="hint">{t!(i18n, new_ticket.one_topic)}</p>
            <div class="field">
                <label for="subject">{t!(i18n, new_ticket.f_subject)}</label>
                <input
                    id="subject"
                    name="subject"
                    type="text"
                    autocomplete="off"
                    maxlength=SUBJECT_MAX.to_string()
                    data-testid="subject"
                    prop:value=move || subject.get()
                    on:input=move |ev| subject.set(event_target_value(&ev))
                />
            </div>
            {move || typed.get().then(|| lazy_part(move || suggestions_part(state)))}
            <div class="field">
                <label for="description">{t!(i18n, new_ticket.f_description)}</label>
                <textarea id="description" rows="6" data-testid="description" bind:value=description></textarea>
            </div>
            <div class="field">
                <label for="steps">{t!(i18n, new_ticket.f_steps)}</label>
                <textarea id="steps" rows="4" data-testid="steps" bind:value=steps></textarea>
            </div>
        </fieldset>
    }
}

/// The KB articles and similar open tickets for the subject being typed.
#[component]
fn LiveSuggestions(state: FormState) -> impl IntoView {
    let kb_hits = RwSignal::new(Vec::<SearchResult>::new());
    let similar = RwSignal::new(Vec::<SimilarTicket>::new());
    suggest_while_typing(state, kb_hits, similar);
    view! {
        <Suggestions hits=kb_hits />
        <SimilarWarning found=similar />
    }
}

/// Looks up KB articles and similar open tickets 350 ms after the subject (or
/// the service) last changed, once the subject has 3 characters.
fn suggest_while_typing(
    state: FormState,
    kb_hits: RwSignal<Vec<SearchResult>>,
    similar: RwSignal<Vec<SimilarTicket>>,
) {
    let (subject, service) = (state.subject, state.service);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let q = subject.get();
        let svc = service.get();
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        if q.trim().chars().count() < 3 {
            kb_hits.set(Vec::new());
            similar.set(Vec::new());
            return;
        }
        let handle = set_timeout_with_handle(
            move || {
                spawn_local(async move {
                    // Both calls degrade to "no suggestions" on any error.
                    let hits = api::kb_suggest(q.clone())
                        .await
                        .map(|h| h.results)
                        .unwrap_or_default();
                    if subject.get_untracked() != q {
                        return;
                    }
                    if !hits.is_empty() {
                        let q2 = q.clone();
                        spawn_local(async move {
                            api::kb_event("suggested", &kb_session(), Some(q2), None).await
                        });
                    }
                    kb_hits.set(hits);
                    let found = if svc.is_empty() {
                        Vec::new()
                    } else {
                        api::similar_tickets(svc, q.clone())
                            .await
                            .map(|s| s.tickets)
                            .unwrap_or_default()
                    };
                    if subject.get_untracked() == q {
                        similar.set(found);
                    }
                });
            },
            Duration::from_millis(350),
        )
        .ok();
        timer.set_value(handle);
    });
}

/// KB articles that may already answer the question (P11).
#[component]
fn Suggestions(hits: RwSignal<Vec<SearchResult>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let hits = hits.get();
        (!hits.is_empty()).then(|| {
            view! {
                <div class="suggestions" data-testid="kb-suggestions" aria-live="polite">
                    <p><strong>{t!(i18n, new_ticket.kb_title)}</strong></p>
                    <ul>
                        {hits
                            .into_iter()
                            .map(|h| {
                                let href = if h.url.is_empty() { format!("/kb/{}", h.slug) } else { h.url.clone() };
                                view! {
                                    <li>
                                        <a href=href target="_blank" rel="noopener">{h.title}</a>
                                        {(!h.summary.is_empty()).then(|| view! { <span class="hint">" — " {h.summary}</span> })}
                                    </li>
                                }
                            })
                            .collect::<Vec<_>>()}
                    </ul>
                </div>
            }
        })
    }
}

/// The caller's open tickets on the same service with a similar subject (P12).
#[component]
fn SimilarWarning(found: RwSignal<Vec<SimilarTicket>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let found = found.get();
        (!found.is_empty()).then(|| {
            view! {
                <div class="callout-warn" data-testid="similar-warning" role="status">
                    <p><strong>{t!(i18n, new_ticket.similar_title)}</strong></p>
                    <ul>
                        {found
                            .into_iter()
                            .map(|t| {
                                view! {
                                    <li>
                                        <A href=format!("/tickets/{}", t.id)>{t.number}</A>
                                        " — " {t.subject}
                                    </li>
                                }
                            })
                            .collect::<Vec<_>>()}
                    </ul>
                    <p class="hint">{t!(i18n, new_ticket.similar_hint)}</p>
                </div>
            }
        })
    }
}
