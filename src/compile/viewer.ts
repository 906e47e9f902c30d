// The small presentation viewer inlined into every HTML deck (trusted code, allowed by hash in
// the page's Content-Security-Policy; nothing from a note can run beside it).
//
// Keys: → ↓ Space PageDown next · ← ↑ PageUp previous · Home/End · f fullscreen · n speaker notes ·
// o overview (all slides). The URL hash (#3) is the slide number, so a reload stays on the slide.
export const VIEWER_SCRIPT = `(() => {
  const root = document.documentElement;
  const slides = Array.from(document.querySelectorAll('div.marpit > svg'));
  const notes = Array.from(document.querySelectorAll('.td-notes > aside'));
  const counter = document.querySelector('.td-counter');
  if (slides.length === 0) return;
  root.classList.add('td-js');
  let current = 0;
  const fromHash = () => { const n = parseInt(location.hash.slice(1), 10); return Number.isFinite(n) ? n - 1 : 0; };
  const show = (n) => {
    current = Math.max(0, Math.min(slides.length - 1, n));
    slides.forEach((s, i) => s.classList.toggle('td-current', i === current));
    notes.forEach((a) => a.classList.toggle('td-current', a.dataset.slide === String(current + 1)));
    if (counter) counter.textContent = (current + 1) + ' / ' + slides.length;
    if (fromHash() !== current) history.replaceState(null, '', '#' + (current + 1));
  };
  document.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const k = e.key;
    if (['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter'].includes(k)) show(current + 1);
    else if (['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'].includes(k)) show(current - 1);
    else if (k === 'Home') show(0);
    else if (k === 'End') show(slides.length - 1);
    else if (k === 'f') { if (document.fullscreenElement) document.exitFullscreen(); else root.requestFullscreen && root.requestFullscreen(); }
    else if (k === 'n') root.classList.toggle('td-show-notes');
    else if (k === 'o') { root.classList.toggle('td-overview'); slides[current].scrollIntoView(); }
    else return;
    e.preventDefault();
  });
  document.addEventListener('click', (e) => {
    if (root.classList.contains('td-overview')) {
      const i = slides.findIndex((s) => s.contains(e.target));
      if (i >= 0) { root.classList.remove('td-overview'); show(i); }
      return;
    }
    if (e.target.closest && e.target.closest('a, .td-notes')) return;
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
  .td-counter { display: none; }
  .td-js .td-counter { display: block; position: fixed; right: 12px; bottom: 8px; font: 13px/1.4 system-ui, sans-serif; color: #aaa; opacity: .6; z-index: 2; }
  .td-notes { display: none; }
  .td-show-notes .td-notes { display: block; position: fixed; left: 0; right: 0; bottom: 0; max-height: 35vh; overflow: auto; z-index: 3;
    background: rgba(20,20,24,.95); color: #f4f4f4; font: 20px/1.5 system-ui, sans-serif; padding: 12px 20px; }
  .td-notes aside { display: none; white-space: pre-wrap; }
  .td-notes aside.td-current { display: block; }
}
@media print { .td-notes, .td-counter { display: none !important; } }
`
