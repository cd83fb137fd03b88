//! Step 3: screenshots (picked, dropped or pasted), uploaded once the ticket exists.
use leptos::prelude::*;

use super::state::FormState;
use crate::components::tickets::AttachmentPicker;
use crate::i18n::*;

/// `busy`: a submit or an upload is under way (the picker is disabled meanwhile).
#[component]
pub(super) fn AttachStep(state: FormState, busy: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let FormState {
        step,
        files,
        rejected,
        ..
    } = state;
    view! {
        <fieldset class="step" class:is-current=move || step.get() == 3 data-step="3">
            <legend>{t!(i18n, new_ticket.step3)}</legend>
            <AttachmentPicker list=files rejected disabled=busy />
        </fieldset>
    }
}
