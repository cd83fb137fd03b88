//! Staff actions: take, assign, pause, resume, resolve, close, out of scope, merge (P10, P12).
use domain::api::TicketDetail;
use domain::ticket::commands::Command;
use leptos::prelude::*;

use super::{Ctl, Request};
use crate::api;
use crate::i18n::*;
use crate::I18n;

#[component]
pub(super) fn StaffPanel(d: TicketDetail, ctl: Ctl, reason: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let s = d.summary;
    let id = StoredValue::new(s.id.clone());
    // Exactly the commands the server allows now (`domain::ticket::commands`).
    let can = {
        let actions = d.actions.clone();
        move |c: Command| actions.contains(&c)
    };
    let open = [
        Command::WaitThirdParty,
        Command::WaitRelease,
        Command::Resume,
        Command::Resolve,
    ]
    .into_iter()
    .any(&can);
    let merge_into = RwSignal::new(String::new());
    let oos = RwSignal::new("development".to_string());
    let current_assignee = s
        .assignee
        .as_ref()
        .map(|a| a.id.clone())
        .unwrap_or_default();
    let assign_to = RwSignal::new(String::new());
    let staff = LocalResource::new(api::staff);

    let set_status = move |to: &'static str| {
        let r = reason.get_untracked();
        let r = (!r.trim().is_empty()).then_some(r);
        ctl.run(Request::Status {
            id: id.get_value(),
            to,
            reason: r,
        });
        reason.set(String::new());
    };
    let button = move |label: fn(I18n) -> &'static str, testid: &'static str, to: &'static str| {
        view! {
            <button type="button" class="btn btn-secondary btn-small" data-testid=testid disabled=move || ctl.busy.get() on:click=move |_| set_status(to)>
                {move || label(i18n)}
            </button>
        }
    };
    let info = d.client_info.map(|c| {
        let row = |label: &'static str, v: Option<String>| {
            v.map(|v| view! { <div><dt>{label}</dt><dd>{v}</dd></div> })
        };
        view! {
            <details class="card" data-testid="client-info">
                <summary>{t!(i18n, ticket.client_info)}</summary>
                <dl class="facts-inline">
                    {row("Browser", c.browser)}
                    {row("OS", c.os)}
                    {row("Lang", c.language)}
                    {row("TZ", c.time_zone)}
                    {row("Screen", c.screen)}
                    {row("App", c.app_version)}
                    {row("IP", c.ip)}
                    {row("UA", c.user_agent)}
                </dl>
            </details>
        }
    });

    view! {
        <aside class="staff-panel" data-testid="staff-actions">
            <h2>{t!(i18n, ticket.actions)}</h2>
            {can(Command::Take).then(|| view! {
                <button type="button" class="btn" data-testid="take" disabled=move || ctl.busy.get()
                    on:click=move |_| ctl.run(Request::Action(id.get_value(), "assign"))>
                    {t!(i18n, queue.take)}
                </button>
            })}
            {can(Command::Assign).then(|| view! {
                <div class="field">
                    <label for="assign-to">{t!(i18n, ticket.assign_to)}</label>
                    <select id="assign-to" data-testid="assign-to" on:change=move |ev| assign_to.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        // Its own (empty) Suspense: the list does not hold up the ticket.
                        <Suspense fallback=|| ()>
                            {move || staff.get().and_then(Result::ok).unwrap_or_default().into_iter()
                                .filter(|u| u.id != current_assignee)
                                .map(|u| view! { <option value=u.id.clone()>{u.name}</option> })
                                .collect::<Vec<_>>()}
                        </Suspense>
                    </select>
                    <button type="button" class="btn btn-secondary btn-small" data-testid="assign"
                        disabled=move || ctl.busy.get() || assign_to.with(String::is_empty)
                        on:click=move |_| ctl.run(Request::AssignTo(id.get_value(), assign_to.get_untracked()))>
                        {t!(i18n, ticket.assign_do)}
                    </button>
                </div>
            })}
            {open.then(|| view! {
                <div class="field">
                    <label for="reason">{t!(i18n, ticket.reason)}</label>
                    <input id="reason" type="text" data-testid="status-reason" bind:value=reason />
                </div>
                <div class="actions">
                    {can(Command::WaitThirdParty).then(|| button(|i| t_string!(i, ticket.a_third_party), "wait-third-party", "waiting_third_party"))}
                    {can(Command::WaitRelease).then(|| button(|i| t_string!(i, ticket.a_release), "wait-release", "waiting_release"))}
                    {can(Command::Resume).then(|| button(|i| t_string!(i, ticket.a_resume), "resume", "open"))}
                    {can(Command::Resolve).then(|| button(|i| t_string!(i, ticket.a_resolve), "resolve", "resolved"))}
                </div>
            })}
            {can(Command::Close).then(|| view! {
                <div class="actions">{button(|i| t_string!(i, ticket.a_close), "close", "closed")}</div>
                <div class="field">
                    <label for="oos">{t!(i18n, ticket.oos)}</label>
                    <select id="oos" data-testid="oos-reason" on:change=move |ev| oos.set(event_target_value(&ev))>
                        <option value="development">{t!(i18n, ticket.oos_development)}</option>
                        <option value="training">{t!(i18n, ticket.oos_training)}</option>
                        <option value="third_party">{t!(i18n, ticket.oos_third_party)}</option>
                        <option value="consulting">{t!(i18n, ticket.oos_consulting)}</option>
                    </select>
                    <button type="button" class="btn btn-secondary btn-small" data-testid="oos-close" disabled=move || ctl.busy.get()
                        on:click=move |_| ctl.run(Request::OutOfScope(id.get_value(), oos.get_untracked()))>
                        {t!(i18n, ticket.oos_close)}
                    </button>
                </div>
                <div class="field">
                    <label for="merge">{t!(i18n, ticket.merge)}</label>
                    <input id="merge" type="text" placeholder="T-2026-000001" data-testid="merge-into" bind:value=merge_into />
                    <button type="button" class="btn btn-secondary btn-small" data-testid="merge" disabled=move || ctl.busy.get() || merge_into.with(|m| m.trim().is_empty())
                        on:click=move |_| ctl.run(Request::Merge(id.get_value(), merge_into.get_untracked().trim().to_string()))>
                        {t!(i18n, ticket.merge_do)}
                    </button>
                </div>
            })}
            {can(Command::Reopen).then(|| button(|i| t_string!(i, ticket.a_reopen), "staff-reopen", "open"))}
            {info}
        </aside>
    }
}
