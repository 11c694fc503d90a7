// The browser terminal: xterm.js (vendored, served from /assets) on the dashboard's own WebSocket /terminal/{ns}/{pod}.
// Binary frames carry keystrokes and output; a text frame {"cols","rows"} resizes the pod's TTY.
import { Terminal } from '../vendor/xterm/xterm.mjs';

const sessions = new Map();

function ensureStylesheet() {
    if (!document.querySelector('link[data-kosmos-xterm]')) {
        const link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = new URL('../vendor/xterm/xterm.css', import.meta.url).href;
        link.dataset.kosmosXterm = '';
        document.head.appendChild(link);
    }
}

// One id per browser tab (sessionStorage is per tab): the server allows one session per tab.
function tabId() {
    let id = sessionStorage.getItem('kosmos-tab');
    if (!id) {
        id = crypto.randomUUID();
        sessionStorage.setItem('kosmos-tab', id);
    }
    return id;
}

export function open(element, namespace, pod, onEnded) {
    close(element);
    ensureStylesheet();
    const term = new Terminal({ cols: 100, rows: 24, convertEol: false, cursorBlink: true, fontSize: 13 });
    term.open(element);
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const base = document.baseURI.replace(/^http/, 'ws').replace(/\/$/, '');
    const url = `${base}/terminal/${encodeURIComponent(namespace)}/${encodeURIComponent(pod)}?tab=${encodeURIComponent(tabId())}`;
    const socket = new WebSocket(scheme === 'wss' ? url.replace(/^ws:/, 'wss:') : url);
    socket.binaryType = 'arraybuffer';
    const encoder = new TextEncoder();
    socket.onopen = () => {
        element.dataset.state = 'open';
        socket.send(JSON.stringify({ cols: term.cols, rows: term.rows }));
        term.focus();
    };
    socket.onmessage = e => term.write(new Uint8Array(e.data));
    socket.onclose = e => {
        element.dataset.state = 'closed';
        term.write(`\r\n[session ended${e.reason ? ': ' + e.reason : ''}]\r\n`);
        if (onEnded) {
            onEnded.invokeMethodAsync('Ended', e.reason || (e.code === 1006 ? 'refused or cut off' : '')).catch(() => { });
        }
    };
    const input = term.onData(data => {
        if (socket.readyState === WebSocket.OPEN) {
            socket.send(encoder.encode(data));
        }
    });
    sessions.set(element, { term, socket, input });
}

export function close(element) {
    const session = sessions.get(element);
    if (session) {
        sessions.delete(element);
        session.input.dispose();
        if (session.socket.readyState <= WebSocket.OPEN) {
            session.socket.close(1000, 'closed in the browser');
        }
        session.term.dispose();
    }
}
