// A stand-in GitHub (OAuth web flow and API under /api) and GitLab self-hosted API (under
// /api/v4) for the SCM integrations browser tests: the real providers cannot be reached from
// test machines. Started by start-server.sh on the port after the app's; exits with it.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const challenges = new Map();
const tokens = new Set(['glpat-e2e']);

/** A fresh ed25519 public key in OpenSSH's format: keys are unique per account. */
function newKey(comment) {
  const der = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
  const field = (bytes) => Buffer.concat([Buffer.alloc(4, 0).fill(0), bytes]).fill(bytes.length, 3, 4);
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(der.subarray(der.length - 32))]);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function bearer(req) {
  return (req.headers.authorization ?? '').replace(/^Bearer /, '');
}

createServer((req, res) => {
  const url = new URL(req.url, `http://127.0.0.1:${port}`);
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const form = new URLSearchParams(body);
    if (url.pathname === '/login/oauth/authorize') {
      const code = randomBytes(8).toString('hex');
      challenges.set(code, url.searchParams.get('code_challenge'));
      const back = `${url.searchParams.get('redirect_uri')}?code=${code}&state=${encodeURIComponent(url.searchParams.get('state'))}`;
      res.writeHead(302, { location: back });
      return res.end();
    }
    if (url.pathname === '/login/oauth/access_token') {
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (challenges.get(form.get('code')) !== challenge) return json(res, 200, { error: 'bad_verification_code' });
      challenges.delete(form.get('code'));
      const token = `gho_${randomBytes(8).toString('hex')}`;
      tokens.add(token);
      return json(res, 200, { access_token: token, scope: 'read:user', token_type: 'bearer' });
    }
    if (url.pathname === '/api/user' || url.pathname === '/api/v4/user') {
      if (!tokens.has(bearer(req))) return json(res, 401, { message: 'Bad credentials' });
      return url.pathname === '/api/user'
        ? json(res, 200, { id: 1, login: 'octocat', html_url: `http://127.0.0.1:${port}/octocat`, avatar_url: '' })
        : json(res, 200, { id: 2, username: 'tanuki', web_url: `http://127.0.0.1:${port}/tanuki` });
    }
    if (url.pathname === '/api/user/keys' || url.pathname === '/api/v4/user/keys') {
      if (!tokens.has(bearer(req))) return json(res, 401, { message: 'Bad credentials' });
      return json(res, 200, [{ id: 1, title: 'e2e', key: newKey('e2e@provider') }]);
    }
    if (req.method === 'DELETE' && /^\/api\/applications\/[^/]+\/grant$/.test(url.pathname)) {
      res.writeHead(204);
      return res.end();
    }
    json(res, 404, { message: 'Not Found' });
  });
}).listen(port, '127.0.0.1');

// Leave with the server that started this one.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000);
