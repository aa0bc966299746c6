/** What a run leaves behind: {@code metrics.json} and PNG figures (XChart), written atomically. */
package dev.rnn4j.runs.report;
