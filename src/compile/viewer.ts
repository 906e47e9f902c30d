// The small presentation viewer inlined into every HTML deck (trusted code, allowed by hash in
// the page's Content-Security-Policy; nothing from a note can run beside it).
//
// Keys: → ↓ Space PageDown next · ← ↑ PageUp previous · Home/End · f fullscreen · o overview (all
// slides) · p or n the presenter view. The URL hash (#3) is the slide number, so a reload stays on
// the slide. The audience window never shows speaker notes, and its one page counter is Marp's
// pagination on the slide.
//
// The presenter view is the same document opened with `?presenter` (works from file:// and from
// the dev server): current slide, next slide, the current slide's notes, elapsed time (since the
// view opened; r resets it), a clock and "Slide 3 of 12". The two windows keep each other on the
// same slide with postMessage over their window references (BroadcastChannel on file:// would reach
// every local page); each accepts only its peer's messages, and only slide numbers of this deck.
// A reloaded audience window takes back the presenter window it opened (which says "here" every
// second). Lunch-and-learn decks mark each section's first slide with its budgeted minutes
// (`data-minutes`, html.ts): the presenter view then compares the elapsed time with the plan.
// Notes and slides are shown as they are in the page (already escaped and sanitized); all text
// the viewer writes goes through textContent.
export const VIEWER_SCRIPT = `(() => {
  const root = document.documentElement;
  const slides = Array.from(document.querySelectorAll('div.marpit > svg'));
  const notes = Array.from(document.querySelectorAll('.td-notes > aside'));
  if (slides.length === 0) return;
  const presenter = new URLSearchParams(location.search).has('presenter');
  root.classList.add('td-js');
  let current = 0;

  // The presenter view's panels: made here, filled with textContent only.
  const presenterView = () => {
    root.classList.add('td-presenter');
    document.title = 'Presenter: ' + document.title;
    const add = (cls, parent, text) => {
      const el = document.createElement('div');
      el.className = cls;
      if (text) el.textContent = text;
      (parent || document.body).appendChild(el);
      return el;
    };
    const end = add('td-pv-end', null, 'End of the deck');
    const noNotes = add('td-pv-none', document.querySelector('.td-notes'), 'No speaker notes for this slide.');
    const bar = add('td-pv-bar');
    const position = add('td-pv-position', bar);
    const elapsed = add('td-pv-elapsed', bar);
    const clock = add('td-pv-clock', bar);
    const pace = add('td-pv-pace', bar);
    // A lunch-and-learn deck's sections: first slide (0-based) and budgeted minutes, in order.
    const sections = notes.filter((a) => a.dataset.minutes)
      .map((a) => ({ slide: Number(a.dataset.slide) - 1, minutes: Number(a.dataset.minutes) }))
      .sort((a, b) => a.slide - b.slide);
    // The start time outlives a reload of this window (talkdeck dev reloads it on a rebuild).
    const key = 'td-presenter-start:' + location.pathname;
    let start = Date.now();
    const keep = () => { try { sessionStorage.setItem(key, String(start)); } catch {} };
    try { start = Number(sessionStorage.getItem(key)) || start; } catch {}
    keep();
    const two = (n) => String(n).padStart(2, '0');
    // The current slide's section was planned from the sum of the earlier budgets to that plus its
    // own: still in it after its end is behind, in it before its start is ahead (whole minutes).
    const pacing = (minutes) => {
      let planned = 0;
      let section;
      for (const s of sections) {
        if (s.slide > current) break;
        if (section) planned += section.minutes;
        section = s;
      }
      if (!section) return ['', ''];
      const end = planned + section.minutes;
      const behind = Math.floor(minutes - end);
      const ahead = Math.floor(planned - minutes);
      const left = Math.max(0, Math.ceil(end - minutes)) + ' min left in this section';
      // Behind means the section's time is up: "0 min left" would say less.
      if (behind >= 1) return [behind + ' min behind · this section is over time', 'td-pv-behind'];
      if (ahead >= 1) return [ahead + ' min ahead · ' + left, 'td-pv-ahead'];
      return ['on time · ' + left, 'td-pv-on-time'];
    };
    const update = () => {
      const s = Math.max(0, Math.floor((Date.now() - start) / 1000));
      position.textContent = 'Slide ' + (current + 1) + ' of ' + slides.length;
      elapsed.textContent = Math.floor(s / 3600) + ':' + two(Math.floor(s / 60) % 60) + ':' + two(s % 60);
      clock.textContent = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      const [text, state] = pacing(s / 60);
      pace.textContent = text;
      pace.className = 'td-pv-pace ' + state;
      end.hidden = current < slides.length - 1;
      noNotes.hidden = notes.some((a) => a.classList.contains('td-current') && a.textContent.trim() !== '');
    };
    const reset = () => { start = Date.now(); keep(); update(); };
    return { update, reset };
  };
  const view = presenter ? presenterView() : null;

  // The other window: the presenter view's opener, or the presenter view the audience window opened.
  let peer = presenter ? window.opener : null;
  const fileUrl = location.protocol === 'file:';
  const send = (msg) => { if (peer && !peer.closed) peer.postMessage(msg, fileUrl ? '*' : location.origin); };
  const fromHash = () => { const n = parseInt(location.hash.slice(1), 10); return Number.isFinite(n) ? n - 1 : 0; };
  const show = (n, fromPeer) => {
    current = Math.max(0, Math.min(slides.length - 1, n));
    slides.forEach((s, i) => {
      s.classList.toggle('td-current', i === current);
      s.classList.toggle('td-next', presenter && i === current + 1);
    });
    notes.forEach((a) => a.classList.toggle('td-current', a.dataset.slide === String(current + 1)));
    if (fromHash() !== current) history.replaceState(null, '', '#' + (current + 1));
    if (view) view.update();
    if (!fromPeer) send({ td: 'slide', n: current + 1 });
  };
  const openPresenter = () => {
    if (peer && !peer.closed) { peer.focus(); return; }
    const url = new URL(location.href);
    url.search = 'presenter';
    url.hash = String(current + 1);
    peer = window.open(url.href, 'td-presenter:' + location.pathname, 'width=1200,height=760');
  };
  window.addEventListener('message', (e) => {
    const d = e.data;
    if (e.origin !== (fileUrl ? 'null' : location.origin) || !d || (d.td !== 'slide' && d.td !== 'here')) return;
    if (e.source !== peer) {
      // A reloaded audience window takes back the presenter view it opened.
      let ours = false;
      try { ours = !presenter && e.source !== null && e.source.opener === window; } catch {}
      if (!ours) return;
      peer = e.source;
    }
    if (d.td === 'slide' && Number.isInteger(d.n) && d.n >= 1 && d.n <= slides.length) show(d.n - 1, true);
  });
  if (view) setInterval(() => { view.update(); send({ td: 'here' }); }, 1000);

  document.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const k = e.key;
    if (['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter'].includes(k)) show(current + 1);
    else if (['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'].includes(k)) show(current - 1);
    else if (k === 'Home') show(0);
    else if (k === 'End') show(slides.length - 1);
    else if (k === 'f') { if (document.fullscreenElement) document.exitFullscreen(); else root.requestFullscreen && root.requestFullscreen(); }
    else if (view) { if (k === 'r') view.reset(); else return; }
    else if (k === 'p' || k === 'n') openPresenter();
    else if (k === 'o') { root.classList.toggle('td-overview'); slides[current].scrollIntoView(); }
    else return;
    e.preventDefault();
  });
  document.addEventListener('click', (e) => {
    if (view) {
      if (e.target.closest && e.target.closest('svg.td-next')) show(current + 1);
      return;
    }
    if (root.classList.contains('td-overview')) {
      const i = slides.findIndex((s) => s.contains(e.target));
      if (i >= 0) { root.classList.remove('td-overview'); show(i); }
      return;
    }
    if (e.target.closest && e.target.closest('a')) return;
    show(e.clientX < window.innerWidth / 3 ? current - 1 : current + 1);
  });
  window.addEventListener('hashchange', () => show(fromHash()));
  show(fromHash());
})();`

export const VIEWER_CSS = `
@media screen {
  html, body { margin: 0; background: #1b1b1f; }
  div.marpit > svg { display: block; width: min(100%, 1280px); height: auto; margin: 16px auto; box-shadow: 0 2px 12px rgba(0,0,0,.5); }
  .td-js body { overflow: hidden; }
  .td-js div.marpit > svg { display: none; }
  .td-js div.marpit > svg.td-current { display: block; position: fixed; inset: 0; width: 100vw; height: 100vh; margin: 0; box-shadow: none; }
  .td-js.td-overview body { overflow: auto; }
  .td-js.td-overview div.marpit { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 16px; padding: 16px; }
  .td-js.td-overview div.marpit > svg { display: block; position: static; width: 100%; height: auto; margin: 0; cursor: pointer; }
  .td-js.td-overview div.marpit > svg.td-current { outline: 4px solid #4c8bf5; }
  .td-notes { display: none; }
  .td-presenter body { background: #111114; color: #f4f4f4; font: 18px/1.4 system-ui, sans-serif; }
  .td-js.td-presenter div.marpit > svg.td-current { inset: 2vh auto auto 1.5vw; width: 62vw; height: auto; max-height: 84vh; }
  .td-js.td-presenter div.marpit > svg.td-next { display: block; position: fixed; inset: 2vh 1.5vw auto auto; width: 33vw; height: auto; max-height: 30vh; margin: 0; box-shadow: none; cursor: pointer; }
  .td-presenter .td-pv-end { position: fixed; inset: 2vh 1.5vw auto auto; width: 33vw; height: 18.5vw; max-height: 30vh; display: flex; align-items: center; justify-content: center; box-sizing: border-box; border: 1px dashed #666; color: #bbb; cursor: default; }
  .td-presenter .td-pv-end[hidden], .td-presenter .td-pv-none[hidden] { display: none; }
  .td-presenter .td-notes { display: block; position: fixed; inset: 34vh 1.5vw 12vh auto; width: 33vw; box-sizing: border-box; overflow: auto;
    padding: 12px 16px; border-radius: 6px; background: #1e1e24; font-size: 22px; line-height: 1.5; }
  .td-notes aside { display: none; white-space: pre-wrap; }
  .td-notes aside.td-current { display: block; }
  .td-presenter .td-pv-none { color: #bbb; font-style: italic; }
  .td-presenter .td-pv-bar { position: fixed; inset: auto 1.5vw 1.5vh 1.5vw; height: 8vh; display: flex; align-items: center; gap: 2.5em;
    font-size: 24px; font-variant-numeric: tabular-nums; }
  .td-presenter .td-pv-elapsed { font-weight: 700; }
  .td-presenter .td-pv-pace { margin-left: auto; }
  .td-presenter .td-pv-behind { color: #ff9e80; font-weight: 700; }
  .td-presenter .td-pv-ahead { color: #8ab4f8; }
  .td-presenter .td-pv-on-time { color: #a5d6a7; }
}
@media print { .td-notes, .td-pv-bar, .td-pv-end { display: none !important; } }
`
