/** The conda package formats and protocol rules: pure, no HTTP, SQL or storage. */
package io.wharf.conda;
