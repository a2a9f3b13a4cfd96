package io.wharf.server.stats;

/** Download statistics as the web side sees them: the counter on the download path and the stored totals. */
public record Downloads(DownloadCounter counter, DownloadTotals totals) {}
