// Typed events of the template protocol.
export interface TemplateHello {
  type: 'template.hello';
  name: string;
  [k: string]: unknown;
}

export interface TemplateReply {
  type: 'template.reply';
  text: string;
  [k: string]: unknown;
}
