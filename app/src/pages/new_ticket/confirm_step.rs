//! Step 4: review of the choices and the submit button (with the P27 warning).
use leptos::prelude::*;

use super::state::FormState;
use crate::components::tickets::{category_label, priority_label, RespectWarning};
use crate::i18n::*;

/// `pending`: the create request is in flight; `no_service`: nothing can be submitted.
#[component]
pub(super) fn ConfirmStep(
    state: FormState,
    #[prop(into)] pending: Signal<bool>,
    no_service: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let FormState { step, warned, .. } = state;
    view! {
        <fieldset class="step" class:is-current=move || step.get() == 4 data-step="4">
            <legend>{t!(i18n, new_ticket.step4)}</legend>
            <Review state />
            <p class="hint">{t!(i18n, new_ticket.auto_data)}</p>
            <RespectWarning terms=warned />
            <button type="submit" class="btn" data-testid="submit-ticket" disabled=move || pending.get() || no_service>
                {move || if pending.get() {
                    t_string!(i18n, new_ticket.sending)
                } else if warned.with(Vec::is_empty) {
                    t_string!(i18n, new_ticket.send)
                } else {
                    t_string!(i18n, ticket.send_anyway)
                }}
            </button>
        </fieldset>
    }
}

/// What will be sent: category, priority, subject and how many files.
#[component]
fn Review(state: FormState) -> impl IntoView {
    let i18n = use_i18n();
    let FormState {
        category,
        priority,
        subject,
        files,
        ..
    } = state;
    move || {
        let cat = category
            .get()
            .map(|c| category_label(i18n, c))
            .unwrap_or("—");
        let pr = priority
            .get()
            .map(|p| priority_label(i18n, p))
            .unwrap_or("—");
        let subj = subject.get();
        let n = files.with(Vec::len);
        view! {
            <dl class="review">
                <dt>{t!(i18n, new_ticket.f_category)}</dt><dd>{cat}</dd>
                <dt>{t!(i18n, new_ticket.f_priority)}</dt><dd>{pr}</dd>
                <dt>{t!(i18n, new_ticket.f_subject)}</dt><dd>{if subj.is_empty() { "—".to_string() } else { subj }}</dd>
                <dt>{t!(i18n, new_ticket.f_files)}</dt><dd>{n}</dd>
            </dl>
        }
    }
}
