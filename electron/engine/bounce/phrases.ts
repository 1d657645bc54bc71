/**
 * The words automated replies use, in the languages our users' correspondents write in:
 * English, German, French, Spanish, Italian, Portuguese, Dutch, Polish, Russian, Japanese,
 * Chinese (and a few common extras). Each list is compiled into one case-insensitive regex.
 * Subjects are matched after RFC 2047 decoding; bodies after charset decoding.
 */

function anyOf(phrases: readonly string[]): RegExp {
  return new RegExp(phrases.join("|"), "iu");
}

/**
 * Word boundaries, written as lookarounds: under the `iu` flags V8 runs `\b` about ten times
 * slower, and these lists are tried on every subject a scan reads. Under `i` the class matches
 * what `\b` counts as a word character there, the Kelvin sign and long s included.
 */
const WORD_START = "(?<![a-z0-9_])";
const WORD_END = "(?![a-z0-9_])";

/** Subjects of non-delivery reports. */
export const BOUNCE_SUBJECT = anyOf([
  "undeliver(?:ed|able)",
  "delivery (?:status notification|failure|failed|has failed|problem|notification|report)",
  "returned mail",
  "return(?:ing)? message to sender",
  "mail delivery (?:failed|failure|system|subsystem|error)",
  "failure notice",
  "failed delivery",
  "delivery failure",
  "could not (?:be )?deliver",
  "non[- ]?delivery",
  "mail system error",
  "message (?:not delivered|delivery failed|you sent blocked|rejected|bounced)",
  "returned to sender",
  "notice: mail delivery status",
  "mail failure",
  "nondeliverable",
  "blocked by",
  "unsolicited bulk email",
  "rejected:",
  "unable to deliver",
  "delivery status",
  `${WORD_START}bounce(?:d)?${WORD_END}`,
  // German
  "unzustellbar",
  "nicht zustellbar",
  "zustellung (?:fehlgeschlagen|gescheitert)",
  "unzustellbare",
  "(?:übermittlungs|zustellungs)status",
  "fehlgeschlagene zustellung",
  // French
  "non remis",
  "non distribuable",
  "(?:é|e)chec de (?:la )?(?:remise|livraison|distribution)",
  "rapport de non-remise",
  "impossible de (?:remettre|distribuer)",
  // Spanish
  "no se puede entregar",
  "no entregado",
  "no se ha podido entregar",
  "error de entrega",
  "fallo en la entrega",
  "notificaci(?:ó|o)n de estado de (?:la )?entrega",
  // Italian
  "non recapitabile",
  "impossibile recapitare",
  "mancato recapito",
  "recapito non riuscito",
  "notifica dello stato di consegna",
  // Portuguese
  "n(?:ã|a)o (?:foi possível )?entregue",
  "falha (?:na|de) entrega",
  "mensagem n(?:ã|a)o entregue",
  "notifica(?:ç|c)(?:ã|a)o de status de entrega",
  // Dutch
  "onbestelbaar",
  "niet (?:afgeleverd|bezorgd)",
  "bezorging mislukt",
  // Polish
  "niedostarczon",
  "nie (?:można|mozna) dostarczy",
  "niedoręczaln",
  "b(?:łą|la)d (?:dostarczenia|doręczenia)",
  // Russian
  "не доставлен",
  "недоставлен",
  "невозможно доставить",
  "ошибка доставки",
  "не удалось доставить",
  // Japanese
  "配信(?:不能|失敗|エラー|できません)",
  "配送(?:不能|失敗|エラー)",
  "送信(?:失敗|エラー|できません)",
  "宛先不明",
  "エラー通知",
  "メールエラー",
  "エラーメール",
  "不達",
  // Chinese
  "退信",
  "无法(?:投递|送达|递送)",
  "投递失败",
  "未能(?:送达|投递)",
  "系统退信",
  "無法(?:投遞|傳遞|送達)",
  "傳遞失敗",
]);

/** Subjects and first lines of delay warnings (a DSN with action "delayed" is one too). */
export const DELAY_PHRASE = anyOf([
  "\\(delay\\)",
  "delayed",
  "delivery delay",
  "has not (?:yet )?been delivered",
  "not (?:yet )?been delivered",
  "still trying",
  "will (?:continue|keep) (?:to )?try(?:ing)?",
  "warning: could not send message for past",
  "verzögert",
  "retard(?:é|e)e?",
  "(?:demorad|retrasad)[oa]",
  "ritardat[oa]",
  "atrasad[oa]",
  "vertraagd",
  "opóźnion",
  "задерж",
  "遅延",
  "延迟",
  "延遲",
]);

/** Subjects that say outright they were written by a machine on someone's behalf. */
export const AUTOREPLY_SUBJECT = anyOf([
  "out of (?:the )?office",
  "auto(?:matic|mated)?[- ]?(?:reply|response|antwort|answer)",
  "autoreply",
  "auto-?response",
  "^auto:",
  "vacation (?:reply|notice|message|auto)",
  "abwesenheitsnotiz",
  "automatische antwort",
  "r(?:é|e)ponse automatique",
  "respuesta autom(?:á|a)tica",
  "risposta automatica",
  "resposta autom(?:á|a)tica",
  "automatisch antwoord",
  "odpowied(?:ź|z) automatyczna",
  "автоответ",
  "автоматический ответ",
  "自動(?:応答|返信|回答)",
  "自动(?:回复|答复)",
  "自動回覆",
  // helpdesk and ticketing systems
  "\\[(?:ticket|case|request|#)\\s*[#:]?\\s*\\d+\\]",
  "ticket (?:received|created|#)",
  "(?:request|message|email|e-mail|inquiry|enquiry) (?:has been )?received",
  "we (?:have )?received your",
  "thank you for (?:contacting|your (?:e-?mail|message|inquiry|enquiry))",
]);

/** Subjects that suggest an absence but that a person could write too: need a machine header. */
export const AUTOREPLY_WEAK_SUBJECT = anyOf([
  `${WORD_START}OOO${WORD_END}`,
  `${WORD_START}away${WORD_END}`,
  "on vacation",
  "on leave",
  "abwesen",
  "nicht im b(?:ü|u)ro",
  "urlaub",
  "absen(?:t|ce)",
  "cong(?:é|e)s",
  "fuera de (?:la )?oficina",
  "vacaciones",
  "fuori (?:sede|ufficio)",
  "ferie",
  "ausente",
  "f(?:é|e)rias",
  "afwezig",
  "vakantie",
  "nieobecno",
  "urlop",
  "отсутству",
  "отпуск",
  "不在",
  "休暇",
  "休假",
  "不在办公室",
]);

/** Challenge-response systems asking the sender to prove they are human. */
export const CHALLENGE_PHRASE = anyOf([
  "please confirm (?:your )?(?:message|e-?mail|request|that you)",
  "confirm your (?:message|e-?mail|identity|request)",
  "verify (?:that )?you (?:are|sent)",
  "sender verification",
  "verification (?:required|request|needed)",
  "spam ?arrest",
  "boxbe",
  "mailblocks",
  "bluebottle",
  `${WORD_START}tmda${WORD_END}`,
  "challenge[- ]response",
  "authori[sz]ation (?:required|request)",
  "awaiting (?:your )?(?:verification|confirmation)",
  "pending (?:your )?(?:verification|confirmation)",
  "waiting for (?:your )?(?:verification|confirmation)",
  "confirmation request",
  "is (?:being )?held (?:until|pending)",
  "click (?:the link|here) (?:below )?to (?:confirm|verify|release|deliver)",
  "bitte best(?:ä|a)tigen",
  "veuillez confirmer",
  "por favor confirme",
  "conferma (?:il tuo|la tua) (?:messaggio|email)",
]);

/** Virus and malware notices sent back to the (forged) sender. */
export const VIRUS_PHRASE = anyOf([
  `${WORD_START}virus`,
  "malware",
  "infected",
  `${WORD_START}banned (?:contents?|attachment)`,
  "banned \\(",
  "dangerous (?:content|attachment)",
  "infiziert",
  "infect(?:é|e)",
  "вирус",
  "ウイルス",
  "病毒",
]);

/** Mailbox-quota warnings a server sends its own user: system mail, never a reply. */
export const QUOTA_WARNING = anyOf([
  "(?:mailbox|quota|storage|postfach|bo(?:î|i)te aux lettres|buz(?:ó|o)n|casella)[^\\n]{0,40}(?:almost|nearly|is|über|presque|casi|quasi)?[^\\n]{0,20}(?:full|exceeded|voll|pleine|lleno|piena|limit)",
  "quota (?:warning|exceeded|notice)",
  "speicherplatz",
]);

/** Prefixes a person's mail client adds when forwarding or replying. */
export const HUMAN_PREFIX = /^\s*(?:fwd?|fw|wg|tr|rv|enc|i|doorst|pd|pd:|转发|轉寄|転送|re|aw|sv|antw|rif|odp|ответ)\s*(?:\[\d+\])?\s*:/iu;

/** System sender local parts and display names. */
export const SYSTEM_SENDER =
  /^(?:mailer[-_.]?daemon|mail[-_.]?daemon|postmaster|post_master|mail[-_.]?delivery(?:[-_.]?(?:system|subsystem))?|mail[-_.]?administrator|bounces?|bounce[-_.].*|mdaemon|mailadmin|nobody|root)$/i;
export const SYSTEM_DISPLAY_NAME =
  /mail(?:er)?[- ]?(?:daemon|delivery|administrator|system)|postmaster|system administrator|delivery (?:subsystem|system|status)|mail (?:gateway|service)|content[- ]filter|e-?mail (?:gateway|security)|virus|anti-?spam/i;

/** Sentences of non-delivery reports' prose (the subject list applies to prose as well). */
export const BOUNCE_BODY = anyOf([
  "(?:could|can) ?not be delivered",
  "was not delivered",
  "wasn't delivered",
  "couldn't be delivered",
  "delivery to the following recipients? (?:failed|was unsuccessful)",
  "i'm afraid i wasn't able to deliver",
  "this is the (?:mail system|postfix program|qmail-send program|dragonfly mail agent)",
  "created automatically by mail delivery software",
  "the original message was received at",
  "transcript of session follows",
  "permanent(?:ly)? (?:error|fatal errors?|failure)",
  "delivery (?:has )?failed",
  "unable to deliver",
  "message (?:could not|was unable to) be delivered",
  "the following addresses? (?:had|has) (?:permanent fatal errors|delivery problems)",
  "(?:user|recipient|mailbox|address) (?:unknown|not found|unavailable|does not exist|is full|rejected)",
  "unknown (?:user|recipient)",
  "no such (?:user|mailbox|recipient)",
  "550[ -]|5\\.\\d\\.\\d",
  "delivery status notification",
  "did not reach (?:some or all of )?the intended recipients?",
  "your message (?:to|for) .{1,80} (?:was|has been) (?:rejected|blocked|returned)",
  // German, French, Spanish, Italian, Portuguese, Dutch, Polish, Russian, Japanese, Chinese
  "konnte nicht (?:zugestellt|ausgeliefert) werden",
  "n'a pas pu (?:être|etre) (?:remis|distribué|livré)",
  "no (?:se )?(?:ha )?(?:podido|pudo) (?:ser )?entrega",
  "non (?:è|e) stato possibile (?:recapitare|consegnare)",
  "n(?:ã|a)o (?:foi|pôde ser|pode ser) entregue",
  "kon niet (?:worden )?(?:afgeleverd|bezorgd)",
  "nie (?:mogła|mógł|można|moglo|mogla) (?:zostać )?dostarczy",
  "не (?:может быть|удалось|было) доставлен",
  "配信(?:できませんでした|に失敗)",
  "送信できませんでした",
  "无法(?:投递|送达)",
  "未能(?:投递|送达)",
]);

/** A mailing-list manager refusing a post: a classic source of backscatter for forged senders. */
export const LIST_MANAGER_REFUSAL = anyOf([
  "not (?:a )?member",
  "loop alert",
  "awaits moderator approval",
  "requires (?:moderator )?approval",
  "you are not allowed to post",
  "only members (?:can|may) post",
  "post(?:ing)? (?:to [^\\n]{0,60})?(?:rejected|not allowed|held)",
]);
