//! The form's shared state: one `Copy` bundle of signals handed to every step.
use domain::api::{CategoryOptionView, CreateTicketRequest, ServiceView, TicketDetail};
use domain::contract::Category;
use domain::respect::offensive_terms;
use domain::sla::Priority;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::tickets::{client_info, error_text, Picked, Rejected};
use crate::i18n::*;
use crate::I18n;

/// How many steps (fieldsets) the wizard has.
pub(super) const STEPS: u8 = 4;

/// Everything the steps read and write. All fields are arena handles, so the
/// struct is `Copy` and is passed to each step as a plain prop.
#[derive(Clone, Copy)]
pub(super) struct FormState {
    pub service: RwSignal<String>,
    pub category: RwSignal<Option<Category>>,
    pub priority: RwSignal<Option<Priority>>,
    pub subject: RwSignal<String>,
    pub description: RwSignal<String>,
    pub steps: RwSignal<String>,
    pub files: RwSignal<Vec<Picked>>,
    pub rejected: RwSignal<Vec<Rejected>>,
    /// The wizard step shown on a phone (1..=STEPS).
    pub step: RwSignal<u8>,
    pub error: RwSignal<Option<String>>,
    /// P27: the rude words found on the last submit; empty = not warned yet.
    pub warned: RwSignal<Vec<String>>,
    pub created: RwSignal<Option<TicketDetail>>,
    pub uploading: RwSignal<bool>,
    /// How many screenshots failed to upload after the ticket was created.
    pub upload_failed: RwSignal<usize>,
    pub categories: StoredValue<Vec<CategoryOptionView>>,
}

impl FormState {
    /// A fresh form; the only eligible service, if there is just one, is preselected.
    pub fn new(services: &[ServiceView], categories: Vec<CategoryOptionView>) -> Self {
        let eligible: Vec<&ServiceView> = services.iter().filter(|s| s.eligible).collect();
        Self {
            service: RwSignal::new(if eligible.len() == 1 {
                eligible[0].id.clone()
            } else {
                String::new()
            }),
            category: RwSignal::new(None),
            priority: RwSignal::new(None),
            subject: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            steps: RwSignal::new(String::new()),
            files: RwSignal::new(Vec::new()),
            rejected: RwSignal::new(Vec::new()),
            step: RwSignal::new(1),
            error: RwSignal::new(None),
            warned: RwSignal::new(Vec::new()),
            created: RwSignal::new(None),
            uploading: RwSignal::new(false),
            upload_failed: RwSignal::new(0),
            categories: StoredValue::new(categories),
        }
    }

    pub fn cat_option(self, c: Category) -> Option<CategoryOptionView> {
        self.categories
            .with_value(|v| v.iter().find(|o| o.category == c).cloned())
    }

    /// Choosing a category keeps the priority inside what it allows (P3).
    pub fn choose_category(self, c: Category) {
        self.category.set(Some(c));
        if let Some(o) = self.cat_option(c) {
            if !self
                .priority
                .get_untracked()
                .is_some_and(|p| o.priorities.contains(&p))
            {
                self.priority.set(o.priorities.iter().next_back().copied());
            }
        }
    }

    /// What is missing to leave a step (phone) or to submit.
    pub fn missing(self, i18n: I18n, upto: u8) -> Option<&'static str> {
        if upto >= 1 {
            if self.service.with(String::is_empty) {
                return Some(t_string!(i18n, new_ticket.need_service));
            }
            if self.category.get().is_none() {
                return Some(t_string!(i18n, new_ticket.need_category));
            }
            if self.priority.get().is_none() {
                return Some(t_string!(i18n, new_ticket.need_priority));
            }
        }
        if upto >= 2 {
            if self.subject.with(|s| s.trim().is_empty()) {
                return Some(t_string!(i18n, new_ticket.need_subject));
            }
            if self.description.with(|s| s.trim().is_empty()) {
                return Some(t_string!(i18n, new_ticket.need_description));
            }
        }
        None
    }

    /// Moves to step `to`; going forward needs the current step complete.
    pub fn go(self, i18n: I18n, to: u8) {
        if to > self.step.get_untracked() {
            if let Some(m) = self.missing(i18n, self.step.get_untracked()) {
                self.error.set(Some(m.to_string()));
                return;
            }
        }
        self.error.set(None);
        self.step.set(to.clamp(1, STEPS));
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    /// P27: on the first submit, the rude or threatening words found (and
    /// remembered in `warned`); `true` = stop and show them.
    pub fn warn_offensive(self) -> bool {
        if !self.warned.with_untracked(Vec::is_empty) {
            return false;
        }
        let text = format!(
            "{}\n{}\n{}",
            self.subject.get_untracked(),
            self.description.get_untracked(),
            self.steps.get_untracked()
        );
        let terms = offensive_terms(&text);
        if terms.is_empty() {
            return false;
        }
        self.warned.set(terms);
        true
    }

    /// The create request as the form stands.
    pub fn request(self, linked_to: Option<String>) -> CreateTicketRequest {
        CreateTicketRequest {
            service_id: self.service.get_untracked(),
            priority: self
                .priority
                .get_untracked()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
            category: self
                .category
                .get_untracked()
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            subject: self.subject.get_untracked().trim().to_string(),
            description: self.description.get_untracked(),
            steps: Some(self.steps.get_untracked()).filter(|s| !s.trim().is_empty()),
            client_info: Some(client_info()),
            linked_to,
        }
    }

    /// A refused create: back to the step of the field at fault, with the message.
    pub fn show_error(self, i18n: I18n, e: &ApiError) {
        match e.field.as_deref() {
            Some("service_id" | "category" | "priority") => self.step.set(1),
            Some("subject" | "description" | "steps") => self.step.set(2),
            _ => {}
        }
        self.error.set(Some(error_text(i18n, e)));
    }
}
