//! The keyboard alone: keys pressed on whatever has focus, through WebDriver key actions
//! (no pointer input source at all), and where focus is.

use fantoccini::actions::{InputSource as _, KeyAction, KeyActions};
use fantoccini::error::CmdError;
use fantoccini::key::Key;

use super::{Browser, Step as _};

/// The focused element: its tag, id and accessible name as a person hears it (its
/// `aria-label`, else its `<label>`, else its text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focused {
    pub tag: String,
    pub id: String,
    pub name: String,
}

impl Browser {
    /// Presses and releases each key in turn.
    pub async fn keys(&self, keys: &[char]) -> Result<(), CmdError> {
        let mut actions = KeyActions::new("keyboard".to_owned());
        for &key in keys {
            actions = actions
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
        }
        self.client.perform_actions(actions).await
    }

    /// Presses one key; `what` names the step in the failure message.
    pub async fn key(&self, key: Key, what: &str) -> Result<(), String> {
        self.keys(&[key.into()]).await.step(what)
    }

    /// Types `text` into whatever has focus.
    pub async fn type_text(&self, text: &str) -> Result<(), String> {
        self.keys(&text.chars().collect::<Vec<_>>())
            .await
            .step(&format!("type {text:?}"))
    }

    /// Shift+Tab.
    pub async fn shift_tab(&self) -> Result<(), String> {
        let mut actions = KeyActions::new("keyboard".to_owned());
        for action in [
            KeyAction::Down {
                value: Key::Shift.into(),
            },
            KeyAction::Down { value: Key::Tab.into() },
            KeyAction::Up { value: Key::Tab.into() },
            KeyAction::Up {
                value: Key::Shift.into(),
            },
        ] {
            actions = actions.then(action);
        }
        self.client.perform_actions(actions).await.step("press Shift+Tab")
    }

    /// The element that has focus.
    pub async fn focused(&self) -> Result<Focused, CmdError> {
        let value = self
            .client
            .execute(
                "const e = document.activeElement; \
                 if (!e) return ['', '', '']; \
                 const label = e.labels && e.labels.length ? e.labels[0].textContent : ''; \
                 const name = e.getAttribute('aria-label') || label || e.innerText || ''; \
                 return [e.tagName.toLowerCase(), e.id, name.trim()];",
                vec![],
            )
            .await?;
        let part = |i: usize| value[i].as_str().unwrap_or_default().to_owned();
        Ok(Focused {
            tag: part(0),
            id: part(1),
            name: part(2),
        })
    }

    /// Waits (up to 2 s) until `check` accepts what has focus; fails naming `wanted` and
    /// where focus is instead.
    pub async fn expect_focus(&self, wanted: &str, check: impl Fn(&Focused) -> bool) -> Result<Focused, String> {
        let mut last = None;
        for _ in 0..40 {
            let now = self.focused().await.step("read the focused element")?;
            if check(&now) {
                return Ok(now);
            }
            last = Some(now);
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        Err(format!("focus is not on {wanted} but on {last:?}"))
    }

    /// Presses Tab until focus is on the control named `name`, at most `max` times.
    pub async fn tab_to(&self, name: &str, max: usize) -> Result<(), String> {
        let mut passed = Vec::new();
        for _ in 0..max {
            self.key(Key::Tab, "press Tab").await?;
            let now = self.focused().await.step("read the focused element")?;
            if now.name == name {
                return Ok(());
            }
            passed.push(now.name);
        }
        Err(format!(
            "{max} presses of Tab did not reach {name:?}; focus went through {passed:?}"
        ))
    }

    /// Counts every mouse and pointer event on this page from now on, and every click that a
    /// pointer made (a click from the keyboard has `detail` 0).
    pub async fn count_mouse_events(&self) -> Result<(), String> {
        self.client
            .execute(
                "window.tesseraMouseEvents = 0; \
                 const count = () => { window.tesseraMouseEvents += 1; }; \
                 for (const type of ['mousedown', 'mouseup', 'pointerdown', 'pointerup', 'touchstart']) \
                   window.addEventListener(type, count, true); \
                 window.addEventListener('click', e => { if (e.detail > 0) count(); }, true);",
                vec![],
            )
            .await
            .step("count mouse events")
            .map(|_| ())
    }

    /// How many mouse and pointer events the page saw since `count_mouse_events`.
    pub async fn mouse_events(&self) -> Result<u64, String> {
        let count = self
            .client
            .execute("return window.tesseraMouseEvents;", vec![])
            .await
            .step("read the mouse event count")?;
        count
            .as_u64()
            .ok_or_else(|| format!("the page was reloaded: the mouse event count is gone ({count})"))
    }
}

/// Reads the focused element's focus ring: its style, width, and the contrast of its colour
/// against what it is drawn on (the element's own background for an inset ring, else its
/// parent's), backgrounds taken from the nearest ancestor that has one.
const FOCUS_RING: &str = r"
const e = document.activeElement;
if (!e || e === document.body) return 'nothing has focus';
const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
const background = el => {
  for (; el; el = el.parentElement) {
    const [r, g, b, a] = rgb(getComputedStyle(el).backgroundColor);
    if (a === undefined || a > 0) return [r, g, b];
  }
  return [255, 255, 255];
};
const luminance = ([r, g, b]) => {
  const lin = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};
const s = getComputedStyle(e);
const width = parseFloat(s.outlineWidth);
if (s.outlineStyle === 'none' || !(width >= 2)) return `no focus ring (outline ${s.outlineStyle} ${s.outlineWidth})`;
const behind = background(parseFloat(s.outlineOffset) < 0 ? e : e.parentElement);
const [l1, l2] = [luminance(rgb(s.outlineColor)), luminance(behind)].sort((a, b) => b - a);
const ratio = (l1 + 0.05) / (l2 + 0.05);
return ratio >= 3 ? '' : `a focus ring of ${s.outlineColor} on rgb(${behind}) has contrast ${ratio.toFixed(2)}, under 3:1`;
";

impl Browser {
    /// Fails unless the focused control shows a focus ring of at least 2 px with 3:1
    /// contrast, in the light and in the dark colour scheme. Leaves the page light.
    pub async fn check_focus_ring(&self) -> Result<(), String> {
        let mut problems = Vec::new();
        for scheme in [super::Scheme::Dark, super::Scheme::Light] {
            self.color_scheme(scheme).await.step("switch the colour scheme")?;
            let found = self
                .client
                .execute(FOCUS_RING, vec![])
                .await
                .step("read the focus ring")?;
            let found = found.as_str().unwrap_or_default();
            if !found.is_empty() {
                problems.push(format!("{scheme:?}: {found}"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            let focused = self.focused().await.step("read the focused element")?;
            Err(format!("{focused:?}: {}", problems.join("; ")))
        }
    }
}
