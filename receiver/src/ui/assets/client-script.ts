/**
 * The dashboard's only script, served from /ui/assets/ (the pages work without it; it adds live
 * updates). It is plain browser JavaScript kept as text because the receiver compiles without DOM types.
 *
 * - `[data-live-src]` regions poll their HTML fragment every `data-live-interval` seconds (paused while
 *   the tab is hidden, backing off after errors) and swap it in, keeping keyboard focus and open
 *   `<details>` where they were. When a region's `X-Sponge-Signature` changes, regions with
 *   `data-live-follow="<its id>"` reload too (a finished release changes the matrix and the counts).
 *   A region may poll a whole page (a running release's own page): the element with the region's id is
 *   taken from it, and when that element comes back without `data-live-src` (the release finished) its
 *   content is swapped in one last time and polling stops.
 * - The live status says when it last updated in UTC, like every other time on the pages.
 * - `time[data-relative]` texts ("3 min ago") are refreshed every 30 seconds, by the server's clock: the
 *   page's render time (`<html data-now>`), then each fragment's `Date` header, against the browser's
 *   clock, so a browser whose clock is off by minutes still agrees with the server's "3 min ago". The
 *   live status's "updated" time is the server's too.
 * - `form[data-clean-query]` leaves empty fields out of the URL, so shared links stay short.
 */
export const CLIENT_SCRIPT = `(() => {
  "use strict";
  const MINUTE = 60e3, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  // How far the server's clock is ahead of this browser's.
  let skew = 0;
  const serverSaid = (time) => {
    const at = Date.parse(time || "");
    if (Number.isFinite(at)) skew = at - Date.now();
  };
  serverSaid(document.documentElement.dataset.now);
  const serverNow = () => new Date(Date.now() + skew);
  const relative = (iso) => {
    const ms = serverNow().getTime() - Date.parse(iso);
    if (!Number.isFinite(ms)) return "";
    // The server's clock is known to a second or so (the Date header): a moment ago may read as just ahead.
    if (ms < -MINUTE) return "in the future";
    if (ms < MINUTE) return "just now";
    if (ms < HOUR) return Math.floor(ms / MINUTE) + " min ago";
    if (ms < DAY) return Math.floor(ms / HOUR) + " h ago";
    if (ms < 60 * DAY) return Math.floor(ms / DAY) + " d ago";
    return Math.floor(ms / (30 * DAY)) + " mo ago";
  };
  const refreshTimes = (root) => {
    for (const time of root.querySelectorAll("time[data-relative]")) {
      const text = relative(time.getAttribute("datetime") || "");
      if (text && time.textContent !== text) time.textContent = text;
    }
  };

  const utc = (date) => date.toISOString().slice(0, 16).replace("T", " ") + " UTC";

  const swap = (target, html) => {
    const active = document.activeElement;
    const key = active && target.contains(active) ? active.getAttribute("href") || active.id : null;
    const open = Array.from(target.querySelectorAll("details"), (details) => details.open);
    target.innerHTML = html;
    const details = target.querySelectorAll("details");
    if (details.length === open.length) details.forEach((element, i) => (element.open = open[i]));
    if (key) {
      const again = Array.from(target.querySelectorAll("[href], [id]")).find(
        (el) => el.getAttribute("href") === key || el.id === key,
      );
      if (again) again.focus();
    }
  };

  /** Reloads a region; says whether it is still live and what signature its fragment carries. */
  const load = async (region) => {
    const response = await fetch(region.dataset.liveSrc, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { accept: "text/html" },
    });
    if (!response.ok) {
      const error = new Error("HTTP " + response.status);
      error.status = response.status;
      throw error;
    }
    // The Date header has whole seconds: good enough for minutes, and better than a wrong local clock.
    serverSaid(response.headers.get("date"));
    let html = await response.text();
    let over = false;
    if (/^\\s*<!doctype/i.test(html)) {
      const twin = new DOMParser().parseFromString(html, "text/html").getElementById(region.id);
      if (!twin) return { over: true, signature: null };
      over = !twin.hasAttribute("data-live-src");
      html = twin.innerHTML;
    }
    if (html !== region.dataset.liveHtml) {
      region.dataset.liveHtml = html;
      swap(region, html);
    }
    return { over, signature: response.headers.get("x-sponge-signature") };
  };

  const live = (region) => {
    const seconds = Math.max(1, Number(region.dataset.liveInterval) || 5);
    const status = document.querySelector('[data-live-status="' + region.id + '"]');
    const announcer = document.querySelector('[data-live-announce="' + region.id + '"]');
    const followers = Array.from(document.querySelectorAll('[data-live-follow="' + region.id + '"]'));
    let signature = region.dataset.signature || null;
    let failures = 0;
    let timer = 0;
    let stopped = false;
    const say = (state, text) => {
      if (!status) return;
      status.dataset.state = state;
      const label = status.querySelector("[data-live-text]");
      if (label) label.textContent = text;
    };
    const tick = async () => {
      clearTimeout(timer);
      if (stopped || document.hidden) return;
      try {
        const next = await load(region);
        if (next.signature !== signature) {
          signature = next.signature;
          const summary = region.querySelector("[data-announce]");
          if (announcer && summary) announcer.textContent = summary.dataset.announce;
          await Promise.all(followers.map((follower) => load(follower).catch(() => null)));
        }
        failures = 0;
        if (next.over) {
          stopped = true;
          say("done", "Updated " + utc(serverNow()));
          return;
        }
        say("ok", "Live · updated " + utc(serverNow()));
      } catch (error) {
        failures += 1;
        if (error && error.status === 401) {
          say("error", "Not signed in any more: reload the page with ?token=");
          return;
        }
        say("error", "Connection lost · retrying");
      }
      timer = setTimeout(tick, seconds * 1000 * Math.min(2 ** failures, 12));
    };
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) tick();
    });
    timer = setTimeout(tick, seconds * 1000);
  };

  const cleanQuery = (form) => {
    form.addEventListener("submit", () => {
      for (const field of form.elements) {
        if ((field.name && field.value === "") || field.dataset.dropOnSubmit !== undefined) field.disabled = true;
      }
      setTimeout(() => {
        for (const field of form.elements) field.disabled = false;
      }, 0);
    });
  };

  const start = () => {
    document.querySelectorAll("[data-live-src]:not([data-live-follow])").forEach(live);
    document.querySelectorAll("form[data-clean-query]").forEach(cleanQuery);
    setInterval(() => refreshTimes(document), 30e3);
    document.documentElement.dataset.liveReady = "true";
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
`;
