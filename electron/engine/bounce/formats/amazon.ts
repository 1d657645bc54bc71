import type { FailedRecipient, ReportKind } from "../../../../shared/model.js";
import { extractMessageIds } from "../../../../shared/messageId.js";
import type { BounceFormat } from "./types.js";

/** Amazon SES and WorkMail, and SES bounce notifications relayed through SNS. */
export const amazon: BounceFormat = {
  name: "amazon",
  detect: (ctx) =>
    /amazonses\.com$|sns\.amazonaws\.com$/i.test(ctx.signals.fromAddress ?? "") ||
    /@[\w.-]*amazonses\.com>?\s*$/i.test(ctx.headers.raw("message-id") ?? "") ||
    /"notificationType"\s*:\s*"bounce"/i.test(ctx.text),
};

export interface SesNotification {
  kind: ReportKind;
  messageIds: string[];
  recipients: FailedRecipient[];
  reportingMta: string | null;
}

interface SesRecipient {
  emailAddress?: unknown;
  action?: unknown;
  status?: unknown;
  diagnosticCode?: unknown;
}

const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

function recipientList(list: unknown, action: string): FailedRecipient[] {
  if (!Array.isArray(list)) return [];
  return (list as SesRecipient[]).flatMap((r) => {
    const address = str(r?.emailAddress);
    return address
      ? [
          {
            address: address.toLowerCase(),
            action: str(r.action) ?? action,
            status: str(r.status),
            diagnostic: str(r.diagnosticCode)?.replace(/^smtp;\s*/i, "") ?? null,
            remoteMta: null,
          },
        ]
      : [];
  });
}

/**
 * Reads an SES notification delivered as JSON mail through SNS
 * ({"notificationType":"Bounce", "bounce": {...}, "mail": {"messageId": ...}}). Returns null for
 * any other text, and for JSON that is not such a notification.
 */
export function readSesNotification(text: string): SesNotification | null {
  const start = text.indexOf("{");
  if (start < 0 || start > 200 || !/notificationType/.test(text)) return null;
  let data: Record<string, Record<string, unknown> | undefined>;
  try {
    // SNS wraps long lines inside JSON strings; a raw line break is not valid JSON.
    data = JSON.parse(text.slice(start, text.lastIndexOf("}") + 1).replace(/[\u0000-\u001f]+/g, "")) as typeof data;
  } catch {
    return null;
  }
  // An SNS envelope carries the SES notification as a JSON string in "Message".
  const inner = data["Message"] as unknown;
  if (typeof inner === "string" && data["notificationType"] === undefined) return readSesNotification(inner);
  const type = String(data["notificationType"] ?? "").toLowerCase();
  const mail = data["mail"] ?? {};
  const common = (mail["commonHeaders"] ?? {}) as Record<string, unknown>;
  const headerIds = Array.isArray(mail["headers"])
    ? (mail["headers"] as { name?: unknown; value?: unknown }[])
        .filter((h) => String(h?.name).toLowerCase() === "message-id")
        .flatMap((h) => extractMessageIds(String(h.value)))
    : [];
  const messageIds = [...extractMessageIds(str(mail["messageId"]) ?? ""), ...extractMessageIds(str(common["messageId"]) ?? ""), ...headerIds];
  if (type === "bounce") {
    const bounce = data["bounce"] ?? {};
    return {
      kind: "bounce",
      messageIds,
      recipients: recipientList(bounce["bouncedRecipients"], "failed"),
      reportingMta: str(bounce["reportingMTA"])?.replace(/^dsn;\s*/i, "") ?? null,
    };
  }
  if (type === "complaint")
    return { kind: "complaint", messageIds, recipients: recipientList(data["complaint"]?.["complainedRecipients"], "complained"), reportingMta: null };
  if (type === "delivery") {
    const delivery = data["delivery"] ?? {};
    const addresses = Array.isArray(delivery["recipients"]) ? (delivery["recipients"] as unknown[]).map((a) => ({ emailAddress: a })) : [];
    return { kind: "bounce", messageIds, recipients: recipientList(addresses, "delivered"), reportingMta: str(delivery["reportingMTA"]) };
  }
  return null;
}
