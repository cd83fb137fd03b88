//! Step 1: service, category and priority, with the live SLA preview (P2, P3, P7, P10).
use domain::api::{OutOfScopeView, ServiceView};
use domain::contract::Coverage;
use domain::sla::{self, Priority};
use leptos::prelude::*;

use super::kind_label;
use super::state::FormState;
use crate::components::tickets::{
    category_label, fmt_local, loc, priority_label, ticking_now, use_calendar,
};
use crate::i18n::*;
use crate::I18n;

#[component]
pub(super) fn ServiceStep(
    state: FormState,
    services: Vec<ServiceView>,
    out_of_scope: Vec<OutOfScopeView>,
    no_service: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let step = state.step;
    let out_of_scope = out_of_scope
        .into_iter()
        .map(|o| {
            let (label, warning) = (o.label, o.warning);
            view! { <li><strong>{move || loc(i18n, &label)}</strong> " — " {move || loc(i18n, &warning)}</li> }
        })
        .collect::<Vec<_>>();
    view! {
        <fieldset class="step" class:is-current=move || step.get() == 1 data-step="1">
            <legend>{t!(i18n, new_ticket.step1)}</legend>
            <h2 class="field-label">{t!(i18n, new_ticket.f_service)}</h2>
            {no_service.then(|| view! { <p class="form-error">{t!(i18n, new_ticket.no_service)}</p> })}
            <div class="choices" role="radiogroup"><ServiceChoices state services /></div>
            <h2 class="field-label">{t!(i18n, new_ticket.f_category)}</h2>
            <div class="choices" role="radiogroup"><CategoryChoices state /></div>
            <details class="callout-warn" data-testid="out-of-scope" open>
                <summary>{t!(i18n, new_ticket.oos_title)}</summary>
                <ul>{out_of_scope}</ul>
            </details>
            <h2 class="field-label">{t!(i18n, new_ticket.f_priority)}</h2>
            <div class="choices choices-row" role="radiogroup"><PriorityChoices state /></div>
            <div class="sla-preview" data-testid="sla-preview" aria-live="polite"><SlaPreview state /></div>
        </fieldset>
    }
}

fn ineligible_reason(i18n: I18n, s: &ServiceView) -> String {
    match s.reason.as_deref() {
        Some("service_ended") => t_string!(i18n, new_ticket.reason_ended).to_string(),
        Some("service_end_of_life") => t_string!(i18n, new_ticket.reason_eol).to_string(),
        _ => s
            .reason_message
            .as_ref()
            .map(|m| loc(i18n, m))
            .unwrap_or_default(),
    }
}

/// One radio per service of the company; ended ones are shown disabled with the reason.
#[component]
fn ServiceChoices(state: FormState, services: Vec<ServiceView>) -> impl IntoView {
    let i18n = use_i18n();
    let service = state.service;
    services
        .into_iter()
        .map(|s| {
            let id = s.id.clone();
            let id2 = s.id.clone();
            let reason = (!s.eligible).then(|| ineligible_reason(i18n, &s));
            let kind = s.kind.clone();
            view! {
                <label
                    class="choice"
                    class:is-disabled=!s.eligible
                    data-testid="service-option"
                    data-service-id=s.id.clone()
                    data-kind=s.kind.clone()
                    data-eligible=if s.eligible { "true" } else { "false" }
                >
                    <input
                        type="radio"
                        name="service"
                        value=s.id.clone()
                        disabled=!s.eligible
                        prop:checked=move || service.with(|v| *v == id)
                        on:change=move |_| service.set(id2.clone())
                    />
                    <span class="choice-body">
                        <span class="choice-title">{s.name.clone()}</span>
                        <span class="hint">{move || kind_label(i18n, &kind)}</span>
                        {reason.map(|r| view! { <span class="choice-reason" data-testid="service-reason">{r}</span> })}
                    </span>
                </label>
            }
        })
        .collect::<Vec<_>>()
}

/// One radio per category, with what covers it (contract, per event, free).
#[component]
fn CategoryChoices(state: FormState) -> impl IntoView {
    let i18n = use_i18n();
    let category = state.category;
    state
        .categories
        .get_value()
        .into_iter()
        .map(|o| {
            let c = o.category;
            let coverage = o.coverage;
            let reason = o.reason_message.clone();
            view! {
                <label
                    class="choice"
                    class:is-disabled=!o.available
                    data-testid="category-option"
                    data-category=c.as_str()
                >
                    <input
                        type="radio"
                        name="category"
                        value=c.as_str()
                        disabled=!o.available
                        prop:checked=move || category.get() == Some(c)
                        on:change=move |_| state.choose_category(c)
                    />
                    <span class="choice-body">
                        <span class="choice-title">
                            {move || category_label(i18n, c)}
                            {o.paid.then(|| view! { " " <span class="tag">{t!(i18n, new_ticket.paid)}</span> })}
                        </span>
                        <span class="hint">
                            {move || match (coverage, reason.as_ref()) {
                                (_, Some(r)) if coverage.is_none() => loc(i18n, r),
                                (Some(Coverage::Contract), _) => t_string!(i18n, new_ticket.cov_contract).to_string(),
                                (Some(Coverage::PerEvent), _) => t_string!(i18n, new_ticket.cov_per_event).to_string(),
                                _ => t_string!(i18n, new_ticket.cov_free).to_string(),
                            }}
                        </span>
                    </span>
                </label>
            }
        })
        .collect::<Vec<_>>()
}

/// One radio per priority; those the chosen category does not allow are disabled, with why.
#[component]
fn PriorityChoices(state: FormState) -> impl IntoView {
    let i18n = use_i18n();
    let (category, priority) = (state.category, state.priority);
    Priority::ALL
        .into_iter()
        .map(|p| {
            let allowed = move || {
                category
                    .get()
                    .and_then(|c| state.cat_option(c))
                    .is_some_and(|o| o.priorities.contains(&p))
            };
            let why = move || {
                if allowed() {
                    return None;
                }
                Some(match category.get() {
                    None => t_string!(i18n, new_ticket.pick_category_first),
                    Some(c) if c.is_paid() => t_string!(i18n, new_ticket.paid_is_high),
                    Some(_) => t_string!(i18n, new_ticket.high_is_paid),
                })
            };
            view! {
                <label class="choice" class:is-disabled=move || !allowed() data-testid="priority-option" data-priority=p.as_str()>
                    <input
                        type="radio"
                        name="priority"
                        value=p.as_str()
                        disabled=move || !allowed()
                        prop:checked=move || priority.get() == Some(p)
                        on:change=move |_| priority.set(Some(p))
                    />
                    <span class="choice-body">
                        <span class="choice-title">{move || priority_label(i18n, p)}</span>
                        <span class="hint">
                            {t!(i18n, new_ticket.target, hours = move || p.target_hours())}
                        </span>
                        {move || why().map(|w| view! { <span class="choice-reason">{w}</span> })}
                    </span>
                </label>
            }
        })
        .collect::<Vec<_>>()
}

/// Live due-time preview with the Worker's own rules (P7) and the office status (P4).
#[component]
fn SlaPreview(state: FormState) -> impl IntoView {
    let i18n = use_i18n();
    let priority = state.priority;
    let cal = use_calendar();
    let now = ticking_now(30);
    move || {
        let (Some(c), Some(p)) = (cal.get(), priority.get()) else {
            return view! { <p class="hint">{t!(i18n, new_ticket.preview_pick)}</p> }.into_any();
        };
        let at = now.get();
        let due = c.to_local(sla::due_at(&c, p, at));
        let office = if c.is_open(at) {
            let closes = fmt_local(i18n, c.to_local(c.next_closing(at)));
            t!(
                i18n,
                new_ticket.office_open,
                closes = move || closes.clone()
            )
            .into_any()
        } else {
            let opens = fmt_local(i18n, c.to_local(c.next_opening(at)));
            t!(
                i18n,
                new_ticket.office_closed,
                opens = move || opens.clone()
            )
            .into_any()
        };
        view! {
            <p>
                {t!(i18n, new_ticket.preview_due)} " "
                <strong data-testid="sla-preview-due">{fmt_local(i18n, due)}</strong>
                " " {t!(i18n, new_ticket.office_time)}
            </p>
            <p class="hint">{t!(i18n, new_ticket.preview_rule, hours = move || p.target_hours())}</p>
            <p class="hint" data-testid="office-status">{office}</p>
        }
        .into_any()
    }
}
