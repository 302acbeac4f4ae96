import Hummingbird
import NIOCore

/// The stylesheet and the script, served from memory under `/static/` (no CDN, no inline code: the CSP allows only
/// same-origin scripts and styles).
enum StaticAssets {
    /// Bumped with the assets, so browsers drop cached copies.
    static let version = "6"

    static func response(_ name: String) -> Response? {
        let (body, type): (String, String)
        switch name {
        case "dashboard.css": (body, type) = (css, "text/css; charset=utf-8")
        case "dashboard.js": (body, type) = (script, "text/javascript; charset=utf-8")
        default: return nil
        }
        return Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=86400"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static let css = """
        :root { --fg: #1f2328; --muted: #656d76; --line: #d8dee4; --bg: #f6f8fa; --card: #fff; --accent: #0969da;
          --success: #2e9e44; --failed: #d1242f; --running: #7cc43a; --queued: #8c959f; --scheduled: #b5a47e; --retry: #d4a72c;
          --reschedule: #6cb6d6;
          --skipped: #e88fd0; --upstream: #f0883e; --none: #eaeef2; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          color: var(--fg); background: var(--bg); }
        a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
        header.top { background: #24292f; color: #fff; }
        header.top nav { display: flex; align-items: center; gap: 18px; max-width: 1280px; margin: 0 auto; padding: 10px 20px; }
        header.top a { color: #d0d7de; } header.top a.active, header.top a:hover { color: #fff; text-decoration: none; }
        header.top .brand { color: #fff; font-weight: 600; font-size: 16px; margin-right: 10px; }
        header.top .logout, header.top .login { margin-left: auto; }
        header.top button.link { background: none; border: 0; color: #d0d7de; font: inherit; cursor: pointer; padding: 0; }
        header.top button.link:hover { color: #fff; }
        main { max-width: 1280px; margin: 0 auto; padding: 18px 20px 40px; }
        h1 { font-size: 22px; margin: 4px 0 4px; font-weight: 600; } h2 { font-size: 16px; margin: 26px 0 10px; font-weight: 600; }
        .sub { color: var(--muted); margin: 0 0 14px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 14px 16px; margin-bottom: 16px;
          overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; background: var(--card); }
        th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; background: #fafbfc; }
        tr:last-child td { border-bottom: 0; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
        .muted { color: var(--muted); } .small { font-size: 12px; }
        .tag { display: inline-block; background: #ddf4ff; color: #0550ae; border-radius: 10px; padding: 0 8px; font-size: 12px;
          margin: 1px 2px 1px 0; }
        .badge { display: inline-block; border-radius: 10px; padding: 1px 8px; font-size: 12px; color: #fff; background: var(--queued);
          white-space: nowrap; }
        .st-success { background: var(--success); fill: var(--success); } .st-failed { background: var(--failed); fill: var(--failed); }
        .st-running { background: var(--running); fill: var(--running); } .st-queued { background: var(--queued); fill: var(--queued); }
        .st-scheduled { background: var(--scheduled); fill: var(--scheduled); } .st-up_for_retry { background: var(--retry); fill: var(--retry); }
        .st-up_for_reschedule { background: var(--reschedule); fill: var(--reschedule); }
        .st-skipped { background: var(--skipped); fill: var(--skipped); } .st-upstream_failed { background: var(--upstream); fill: var(--upstream); }
        .st-none { background: var(--none); fill: var(--none); }
        .squares { display: flex; gap: 2px; flex-wrap: nowrap; min-width: 282px; }
        td.schedule { min-width: 150px; } td.next { white-space: nowrap; }
        .sq { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
        .sq:hover { outline: 2px solid #24292f; }
        button, .button { font: inherit; border: 1px solid #c9d1d9; background: #f6f8fa; color: var(--fg); border-radius: 6px; padding: 4px 12px;
          cursor: pointer; display: inline-block; line-height: 1.5; }
        button:hover, .button:hover { background: #eef1f4; text-decoration: none; }
        button.primary, .button.primary { background: #1f883d; border-color: #1a7f37; color: #fff; } button.primary:hover,
          .button.primary:hover { background: #1a7f37; }
        button.danger { color: var(--failed); } button.small, .button.small { padding: 1px 8px; font-size: 12px; }
        form.inline { display: inline; margin: 0; }
        .actions { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
        .toggle { border-radius: 12px; min-width: 78px; } .toggle.on { background: #dafbe1; border-color: #aceebb; color: #116329; }
        .toggle.off { background: #fff1e5; border-color: #ffd8b5; color: #953800; }
        .grid { border-collapse: separate; border-spacing: 2px; width: auto; background: none; }
        .grid th, .grid td { padding: 0; border: 0; background: none; }
        .grid th.task { text-align: right; padding-right: 10px; font-size: 13px; text-transform: none; color: var(--fg); font-weight: 400;
          white-space: nowrap; letter-spacing: 0; }
        .grid th.run { height: 64px; vertical-align: bottom; }
        .grid th.run a { display: block; width: 16px; border-radius: 2px; }
        .grid .cell { display: block; width: 16px; height: 16px; border-radius: 3px; }
        .grid .cell:hover { outline: 2px solid #24292f; }
        .grid a.bar { display: block; width: 16px; border-radius: 2px 2px 0 0; min-height: 2px; }
        .pager { display: flex; gap: 10px; align-items: center; margin: 8px 0; color: var(--muted); }
        .legend { display: flex; flex-wrap: wrap; gap: 10px; font-size: 12px; color: var(--muted); margin: 6px 0; }
        .legend span.sq { vertical-align: -1px; margin-right: 4px; }
        svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--fg); }
        svg .node rect.box { stroke: rgba(0,0,0,.25); stroke-width: 1; } svg .node text { fill: #fff; font-weight: 600; }
        svg .node.st-none text, svg .node.st-running text, svg .node.st-skipped text { fill: #1f2328; }
        svg .edge { fill: none; stroke: #8c959f; stroke-width: 1.4; } svg .axis { stroke: var(--line); } svg .axis-label { fill: var(--muted);
          font-size: 11px; }
        svg .series { fill: none; stroke: var(--accent); stroke-width: 2; } svg .dot { fill: var(--accent); }
        svg .bar { stroke: none; } svg.graph, svg.gantt, svg.durations { max-width: 100%; height: auto; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 14px; }
        .two { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; } @media (max-width: 900px) { .two { grid-template-columns: 1fr; } }
        dl.def { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; } dl.def dt { color: var(--muted); }
          dl.def dd { margin: 0; }
        pre.log { background: #0d1117; color: #e6edf3; padding: 12px 14px; border-radius: 6px; overflow: auto; max-height: 70vh;
          white-space: pre-wrap; word-break: break-word; margin: 0; }
        .notice { background: #fff8c5; border: 1px solid #eed888; padding: 8px 12px; border-radius: 6px; margin-bottom: 12px; }
        .error { background: #ffebe9; border: 1px solid #ffcecb; padding: 8px 12px; border-radius: 6px; margin-bottom: 12px; color: #82071e; }
        .ok { background: #dafbe1; border: 1px solid #aceebb; padding: 8px 12px; border-radius: 6px; margin-bottom: 12px; }
        label { display: block; font-weight: 600; margin: 10px 0 4px; } label .muted { font-weight: 400; }
        input[type=text], input[type=number], input[type=password], textarea, select { font: inherit; padding: 6px 8px; border: 1px solid #c9d1d9;
          border-radius: 6px; width: 100%; max-width: 420px; background: #fff; }
        textarea { font-family: ui-monospace, Menlo, Consolas, monospace; min-height: 70px; }
        .login-box { max-width: 360px; margin: 60px auto; }
        .anime { display: grid; grid-template-columns: 320px 1fr; gap: 24px; align-items: start; }
          @media (max-width: 760px) { .anime { grid-template-columns: 1fr; } }
        .anime img.poster { width: 320px; height: 320px; border-radius: 8px; background: #ddd; image-rendering: auto; display: block; }
        .anime h1 { font-size: 28px; margin-top: 0; } .synopsis { font-size: 16px; line-height: 1.6; max-width: 62ch; white-space: pre-wrap; }
        .batch-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: 12px; }
        .batch-grid a { display: block; color: var(--fg); font-size: 12px; } .batch-grid img { width: 100%; aspect-ratio: 1; border-radius: 6px;
          display: block; background: #ddd; }
        .batch-grid span { display: block; margin-top: 4px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .empty { text-align: center; padding: 60px 20px; color: var(--muted); font-size: 16px; }
        .kv td:first-child { color: var(--muted); white-space: nowrap; width: 1%; }
        .xcom { max-width: 640px; white-space: pre-wrap; word-break: break-word; margin: 0; }
        img.attachment { max-width: 100%; border: 1px solid var(--line); border-radius: 6px; }
        """

    static let script = """
        // Live updates: poll the JSON endpoint named by <body data-live> and recolour what changed; reload the page
        // when something new appears (a new run) or a run finishes. The log page tails its log by byte offset.
        (function () {
          'use strict';
          var states = ['success','failed','running','queued','scheduled','up_for_retry','up_for_reschedule','skipped','upstream_failed','none'];
          function setState(el, state) {
            states.forEach(function (s) { el.classList.remove('st-' + s); });
            el.classList.add('st-' + state);
            if (el.hasAttribute('data-live-text')) { el.textContent = state.replace(/_/g, ' '); }
          }
          function poll(url) {
            fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
              .then(function (r) { return r.ok ? r.json() : null; })
              .then(function (data) {
                if (!data) { return; }
                var reload = false;
                Object.keys(data.states || {}).forEach(function (key) {
                  var els = document.querySelectorAll('[data-key="' + CSS.escape(key) + '"]');
                  if (els.length === 0) { reload = true; }
                  els.forEach(function (el) {
                    var old = el.getAttribute('data-state');
                    if (old !== data.states[key]) {
                      if (el.hasAttribute('data-reload')) { reload = true; }
                      el.setAttribute('data-state', data.states[key]);
                      setState(el, data.states[key]);
                    }
                  });
                });
                if (reload) { window.location.reload(); return; }
                if (data.active) { setTimeout(function () { poll(url); }, 2000); }
                else { setTimeout(function () { poll(url); }, 10000); }
              })
              .catch(function () { setTimeout(function () { poll(url); }, 5000); });
          }
          function tail(pre) {
            var url = pre.getAttribute('data-tail');
            var offset = parseInt(pre.getAttribute('data-offset') || '0', 10);
            fetch(url + '?offset=' + offset, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
              .then(function (r) { return r.ok ? r.json() : null; })
              .then(function (data) {
                if (!data) { return; }
                if (data.text) {
                  var atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
                  pre.appendChild(document.createTextNode(data.text));
                  if (atBottom) { pre.scrollTop = pre.scrollHeight; }
                }
                pre.setAttribute('data-offset', String(data.next_offset));
                if (data.running) { setTimeout(function () { tail(pre); }, 1000); }
                else { var s = document.getElementById('try-state'); if (s && data.state) { setState(s, data.state);
                  s.textContent = data.state.replace(/_/g, ' '); } }
              })
              .catch(function () { setTimeout(function () { tail(pre); }, 3000); });
          }
          document.addEventListener('DOMContentLoaded', function () {
            var live = document.body.getAttribute('data-live');
            if (live) { setTimeout(function () { poll(live); }, 2000); }
            document.querySelectorAll('pre[data-tail]').forEach(function (pre) {
              if (pre.getAttribute('data-running') === 'true') { pre.scrollTop = pre.scrollHeight; setTimeout(function () { tail(pre); }, 1000); }
            });
            document.querySelectorAll('form[data-confirm]').forEach(function (form) {
              form.addEventListener('submit', function (event) {
                if (!window.confirm(form.getAttribute('data-confirm'))) { event.preventDefault(); }
              });
            });
          });
        })();
        """
}
