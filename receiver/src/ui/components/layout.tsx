import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { SCRIPT_ASSET, STYLE_ASSET } from "../assets/assets.js";
import { formatDateTime } from "../format.js";

export type Section = "overview" | "releases" | "dora";

const NAV: { section: Section; href: string; label: string }[] = [
  { section: "overview", href: "/", label: "Overview" },
  { section: "releases", href: "/releases", label: "Releases" },
  { section: "dora", href: "/dora", label: "DORA" },
];

const ICON =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f5fbf"/><circle cx="11" cy="12" r="3" fill="#fff"/><circle cx="21" cy="10" r="2" fill="#fff"/><circle cx="19" cy="20" r="4" fill="#fff"/><circle cx="10" cy="22" r="2" fill="#fff"/></svg>',
  );

/** The page shell: skip link, navigation, one `<main>` landmark, footer. */
export function Layout(props: { title: string; section: Section | null; now: Date; children?: Child }) {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en" data-now={props.now.toISOString()}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title>{`${props.title} · Sponge`}</title>
          <link rel="icon" href={ICON} />
          <link rel="stylesheet" href={STYLE_ASSET.path} />
          <script src={SCRIPT_ASSET.path} defer />
        </head>
        <body>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <nav aria-label="Main">
              <a href="/" class="brand">
                <img src={ICON} alt="" width={22} height={22} />
                Sponge
              </a>
              <ul>
                {NAV.map((item) => (
                  <li>
                    <a href={item.href} aria-current={item.section === props.section ? "page" : undefined}>
                      {item.label}
                    </a>
                  </li>
                ))}
                <li>
                  <a href="/docs">API</a>
                </li>
              </ul>
            </nav>
          </header>
          <main id="main" tabindex={-1}>
            {props.children}
          </main>
          <footer class="site-footer">
            Times are UTC. Page rendered {formatDateTime(props.now.toISOString())}.
          </footer>
        </body>
      </html>
    </>
  );
}
