//! Why a breached target was missed (P9), recorded by staff.
use domain::api::TicketDetail;
use domain::validation::Lang;
use leptos::prelude::*;

use super::{Ctl, Request};
use crate::components::tickets::is_en;
use crate::i18n::*;

/// Staff record why a breached target was missed (P9): a reason from the fixed list and
/// optional free text (required for "other").
#[component]
pub(super) fn BreachReasonForm(d: TicketDetail, ctl: Ctl) -> impl IntoView {
    use domain::sla::breach::BreachReason;
    let i18n = use_i18n();
    let lang = move || if is_en(i18n) { Lang::En } else { Lang::Es };
    let current = d.sla.breach_reason.clone();
    let reason = RwSignal::new(
        current
            .as_ref()
            .map(|c| c.reason.as_str().to_string())
            .unwrap_or_else(|| BreachReason::TeamWorkload.as_str().to_string()),
    );
    let note = RwSignal::new(
        current
            .as_ref()
            .and_then(|c| c.note.clone())
            .unwrap_or_default(),
    );
    let id = d.summary.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = note.get_untracked();
        let body = domain::api::BreachReasonRequest {
            reason: reason.get_untracked(),
            note: (!n.trim().is_empty()).then_some(n),
        };
        ctl.run(Request::BreachReason(id.clone(), body));
    };
    let shown = current.map(|c| {
        let label = if is_en(i18n) { c.label.en } else { c.label.es };
        view! {
            <p data-testid="breach-current">
                {t!(i18n, ticket.breach_current)} " " <strong>{label}</strong>
                {c.note.map(|n| view! { " — " {n} })}
            </p>
        }
    });
    view! {
        <aside class="card breach-reason" data-testid="breach-reason">
            <h2>{t!(i18n, ticket.breach_title)}</h2>
            {shown}
            <form on:submit=submit>
                <div class="field">
                    <label for="breach-reason">{t!(i18n, ticket.breach_reason)}</label>
                    <select id="breach-reason" data-testid="breach-select" prop:value=move || reason.get()
                        on:change=move |ev| reason.set(event_target_value(&ev))>
                        {move || BreachReason::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str()>{r.label(lang())}</option>
                        }).collect::<Vec<_>>()}
                    </select>
                </div>
                <div class="field">
                    <label for="breach-note">{t!(i18n, ticket.breach_note)}</label>
                    <textarea id="breach-note" data-testid="breach-note" maxlength="500" rows="2"
                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="btn btn-secondary" data-testid="breach-save" disabled=move || ctl.busy.get()>
                    {t!(i18n, ticket.breach_save)}
                </button>
            </form>
        </aside>
    }
}
