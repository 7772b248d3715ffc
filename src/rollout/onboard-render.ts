/** Onboarding messages as plain text, Markdown or one self-contained HTML page (pure). */
import { MESSAGE_TABLES, type OnboardingMessage } from './onboard.js';

export type OnboardingFormat = 'text' | 'markdown' | 'html';
export const ONBOARDING_FORMATS: readonly OnboardingFormat[] = ['text', 'markdown', 'html'];

const LABEL = /\[\[(.+?)\]\]/g;

function plain(message: OnboardingMessage, text: string): string {
  const { quote } = MESSAGE_TABLES[message.language];
  return text.replace(LABEL, (_, label: string) => quote(label));
}

function renderText(message: OnboardingMessage): string {
  const lines = [
    `Subject: ${message.subject}`,
    '',
    message.greeting,
    '',
    message.intro,
    '',
    `${message.stepsHeading}:`,
    ...message.steps.map((step, index) => `  ${index + 1}. ${plain(message, step)}`),
  ];
  if (message.cli !== undefined) {
    lines.push('', `${message.cli.heading}:`, message.cli.beforeCommand, '', `    ${message.cli.command}`, '', message.cli.afterCommand, message.cli.fidoNote);
  }
  lines.push('', message.closing);
  return lines.join('\n');
}

/** A console label in rich text: bold, and quoted where the language quotes labels. */
function richLabel(message: OnboardingMessage, bold: string): string {
  const table = MESSAGE_TABLES[message.language];
  return table.quoteRichLabels ? table.quote(bold) : bold;
}

function markdownInline(message: OnboardingMessage, text: string): string {
  const escaped = text.replace(/([\\`*_<>])/g, '\\$1');
  return escaped
    .replace(LABEL, (_, label: string) => richLabel(message, `**${label}**`))
    .split(message.signInUrl.replace(/([\\`*_<>])/g, '\\$1'))
    .join(`<${message.signInUrl}>`);
}

function renderMarkdown(message: OnboardingMessage): string {
  const lines = [
    `## ${markdownInline(message, message.subject)}`,
    '',
    markdownInline(message, message.greeting),
    '',
    markdownInline(message, message.intro),
    '',
    `### ${markdownInline(message, message.stepsHeading)}`,
    '',
    ...message.steps.map((step, index) => `${index + 1}. ${markdownInline(message, step)}`),
  ];
  if (message.cli !== undefined) {
    lines.push(
      '',
      `### ${markdownInline(message, message.cli.heading)}`,
      '',
      markdownInline(message, message.cli.beforeCommand),
      '',
      '```sh',
      message.cli.command,
      '```',
      '',
      markdownInline(message, message.cli.afterCommand),
      '',
      markdownInline(message, message.cli.fidoNote),
    );
  }
  lines.push('', markdownInline(message, message.closing));
  return lines.join('\n');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function htmlInline(message: OnboardingMessage, text: string): string {
  const url = escapeHtml(message.signInUrl);
  return escapeHtml(text)
    .replace(LABEL, (_, label: string) => richLabel(message, `<strong>${label}</strong>`))
    .split(url)
    .join(`<a href="${url}">${url}</a>`);
}

function renderHtmlArticle(message: OnboardingMessage): string {
  const cli =
    message.cli === undefined
      ? ''
      : `
  <h3>${htmlInline(message, message.cli.heading)}</h3>
  <p>${htmlInline(message, message.cli.beforeCommand)}</p>
  <pre><code>${escapeHtml(message.cli.command)}</code></pre>
  <p>${htmlInline(message, message.cli.afterCommand)}</p>
  <p>${htmlInline(message, message.cli.fidoNote)}</p>`;
  return `<article lang="${message.language}">
  <h2>${htmlInline(message, message.subject)}</h2>
  <p>${htmlInline(message, message.greeting)}</p>
  <p>${htmlInline(message, message.intro)}</p>
  <h3>${htmlInline(message, message.stepsHeading)}</h3>
  <ol>
${message.steps.map((step) => `    <li>${htmlInline(message, step)}</li>`).join('\n')}
  </ol>${cli}
  <p>${htmlInline(message, message.closing)}</p>
</article>`;
}

const STYLE = `body{font-family:system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.7;color:#1b1b1b}
article{border-bottom:1px solid #ccc;padding-bottom:2rem;margin-bottom:2rem;break-after:page}
pre{background:#f3f3f3;padding:.75rem;overflow-x:auto}li{margin-bottom:.5rem}`;

function renderHtml(messages: readonly OnboardingMessage[]): string {
  const language = messages[0]?.language ?? 'en';
  const title = escapeHtml(MESSAGE_TABLES[language].documentTitle);
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
${messages.map(renderHtmlArticle).join('\n')}
</body>
</html>
`;
}

/** All messages in one output: text and Markdown separate users with a rule, HTML puts one article per user. */
export function renderOnboarding(messages: readonly OnboardingMessage[], format: OnboardingFormat): string {
  switch (format) {
    case 'text':
      return `${messages.map(renderText).join(`\n\n${'-'.repeat(72)}\n\n`)}\n`;
    case 'markdown':
      return `${messages.map(renderMarkdown).join('\n\n---\n\n')}\n`;
    case 'html':
      return renderHtml(messages);
  }
}
