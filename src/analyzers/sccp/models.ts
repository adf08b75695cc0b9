// The device type a station states in its RegisterReq: Cisco's device type numbers (the TypeModel
// values of Cisco Unified CM's data dictionary, which its device pages and CDRs show), for the
// common phones, gateway ports and media resources. What kind of device each is lets the
// inventory tell a phone from a conference bridge; a number not listed is reported as it is.

export type StationKind = 'phone' | 'conference-bridge' | 'media-resource' | 'gateway-port';

export interface DeviceModel {
  model: string;
  kind: StationKind;
}

const P: StationKind = 'phone';

const MODELS: [number, string, StationKind][] = [
  [1, 'Cisco 30 SP+', P],
  [2, 'Cisco 12 SP+', P],
  [3, 'Cisco 12 SP', P],
  [4, 'Cisco 12 S', P],
  [5, 'Cisco 30 VIP', P],
  [6, 'Cisco 7910', P],
  [7, 'Cisco 7960', P],
  [8, 'Cisco 7940', P],
  [9, 'Cisco 7935', P],
  [12, 'Cisco ATA 186', 'gateway-port'],
  [50, 'Cisco Conference Bridge', 'conference-bridge'],
  [51, 'Cisco Conference Bridge (WS-X6608)', 'conference-bridge'],
  [52, 'Cisco IOS Conference Bridge (HDV2)', 'conference-bridge'],
  [53, 'Cisco Conference Bridge (WS-SVC-CMM)', 'conference-bridge'],
  [70, 'Cisco Music On Hold', 'media-resource'],
  [83, 'Cisco IOS Software Media Termination Point (HDV2)', 'media-resource'],
  [110, 'Cisco Media Termination Point', 'media-resource'],
  [111, 'Cisco Media Termination Point (WS-X6608)', 'media-resource'],
  [112, 'Cisco IOS Media Termination Point (HDV2)', 'media-resource'],
  [113, 'Cisco Media Termination Point (WS-SVC-CMM)', 'media-resource'],
  [115, 'Cisco 7941', P],
  [119, 'Cisco 7971', P],
  [126, 'Cisco Annunciator', 'media-resource'],
  [302, 'Cisco 7985', P],
  [307, 'Cisco 7911', P],
  [308, 'Cisco 7961G-GE', P],
  [309, 'Cisco 7941G-GE', P],
  [348, 'Cisco 7931', P],
  [365, 'Cisco 7921', P],
  [369, 'Cisco 7906', P],
  [404, 'Cisco 7962', P],
  [431, 'Cisco 7937', P],
  [434, 'Cisco 7942', P],
  [435, 'Cisco 7945', P],
  [436, 'Cisco 7965', P],
  [437, 'Cisco 7975', P],
  [484, 'Cisco 7925', P],
  [495, 'Cisco 6921', P],
  [496, 'Cisco 6941', P],
  [497, 'Cisco 6961', P],
  [547, 'Cisco 6901', P],
  [548, 'Cisco 6911', P],
  [564, 'Cisco 6945', P],
  [577, 'Cisco 7926', P],
  [585, 'Cisco 8945', P],
  [586, 'Cisco 8941', P],
  [20000, 'Cisco 7905', P],
  [30002, 'Cisco 7920', P],
  [30006, 'Cisco 7970', P],
  [30007, 'Cisco 7912', P],
  [30008, 'Cisco 7902', P],
  [30016, 'Cisco IP Communicator', P],
  [30018, 'Cisco 7961', P],
  [30019, 'Cisco 7936', P],
  [30027, 'Analog Phone', 'gateway-port'],
  [30028, 'ISDN BRI Phone', 'gateway-port'],
];

const BY_TYPE = new Map<number, DeviceModel>(MODELS.map(([n, model, kind]) => [n, { model, kind }]));

export function deviceModel(deviceType: number): DeviceModel | undefined {
  return BY_TYPE.get(deviceType);
}
