//! `/horario` — office hours. Holidays (GET /api/calendar/holidays) are
//! added later under the "holidays" heading.
use leptos::prelude::*;

use crate::components::page::{Page, Soon};
use crate::i18n::*;

#[component]
pub fn HoursPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title=|i| t_string!(i, hours.title) lead=|i| t_string!(i, hours.lead) class="hours-page">
            <dl class="facts">
                <div>
                    <dt>{t!(i18n, hours.days_label)}</dt>
                    <dd>{t!(i18n, hours.days)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, hours.time_label)}</dt>
                    <dd>{t!(i18n, hours.time)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, hours.zone_label)}</dt>
                    <dd>{t!(i18n, hours.zone)}</dd>
                </div>
            </dl>
            <p>{t!(i18n, hours.note)}</p>
            <h2 id="festivos">{t!(i18n, hours.holidays_heading)}</h2>
            <Soon text=|i| t_string!(i, hours.holidays_soon) />
        </Page>
    }
}
