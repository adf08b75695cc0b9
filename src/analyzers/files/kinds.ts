// What kind of file a file is, for the rules that care: a program (an executable or a script a
// host runs) or a software/firmware update package. By the file's own bytes first (the sniffed
// media type), by its name otherwise.

/** Media types whose bytes are a program. */
const EXECUTABLE_MIMES = new Set(['application/x-dosexec', 'application/x-executable']);
/** File name extensions Windows executes or loads (PE images, installers, scripts). */
const EXECUTABLE_EXTENSIONS = new Set(['exe', 'dll', 'sys', 'scr', 'com', 'cpl', 'ocx', 'msi', 'msp', 'bat', 'cmd', 'ps1', 'psm1', 'vbs', 'vbe', 'js', 'jse', 'wsf', 'hta', 'jar']);
/**
 * Names update images and packages go by: firmware images (.bin .img .fw .hex .rom .dfu), update
 * bundles (.upd .swu .pkg .cab .msu), OS packages (.deb .rpm .ipk .apk), Cisco phone loads (.loads
 * .sbn .sb2 .zz).
 */
const UPDATE_EXTENSIONS = new Set(['bin', 'img', 'fw', 'hex', 'rom', 'dfu', 'upd', 'swu', 'pkg', 'cab', 'msu', 'deb', 'rpm', 'ipk', 'apk', 'loads', 'sbn', 'sb2', 'zz']);
const UPDATE_MIMES = new Set(['application/vnd.ms-cab-compressed']);

function extension(name: string | undefined): string {
  if (name === undefined) return '';
  const base = name.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Whether a file is a program: by its bytes first, by its name otherwise. */
export function isExecutableFile(mime: string | undefined, name: string | undefined): boolean {
  if (mime !== undefined && EXECUTABLE_MIMES.has(mime)) return true;
  return EXECUTABLE_EXTENSIONS.has(extension(name));
}

/** Whether a file is software or firmware a device installs: a program, an update package or image. */
export function isUpdateFile(mime: string | undefined, name: string | undefined): boolean {
  if (isExecutableFile(mime, name)) return true;
  if (mime !== undefined && UPDATE_MIMES.has(mime)) return true;
  return UPDATE_EXTENSIONS.has(extension(name));
}
