import { z } from "zod";
import { lenient, optionalText } from "../schema-helpers.js";

/**
 * The Notification plugin's JSON (Gson, lower-case-with-underscores, nulls omitted), see
 * https://github.com/jenkinsci/notification-plugin/blob/master/src/main/java/com/tikal/hudson/plugins/notification/model/BuildState.java
 */
export const jenkinsNotificationSchema = z.looseObject({
  name: z.string().trim().min(1).max(1000),
  display_name: optionalText,
  url: optionalText,
  build: z.looseObject({
    number: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,18}$/)]).transform(String),
    phase: z.string(),
    status: optionalText,
    full_url: optionalText,
    url: optionalText,
    queue_id: optionalText,
    timestamp: lenient(z.number().nonnegative()),
    duration: lenient(z.number().nonnegative()),
    notes: optionalText,
    parameters: lenient(z.record(z.string(), z.unknown())),
    scm: lenient(
      z.looseObject({
        url: optionalText,
        branch: optionalText,
        commit: optionalText,
        changes: lenient(z.array(z.unknown())),
        culprits: lenient(z.array(z.unknown())),
      }),
    ),
  }),
});
export type JenkinsNotification = z.output<typeof jenkinsNotificationSchema>;
