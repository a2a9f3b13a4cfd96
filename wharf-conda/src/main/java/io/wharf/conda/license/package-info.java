/**
 * License families: conda-build's {@code guess_license_family} re-implemented, and Wharf's twelve families derived
 * from a record's {@code license_family} and {@code license} fields, with the SPDX License List as the table for exact
 * ids.
 */
package io.wharf.conda.license;
