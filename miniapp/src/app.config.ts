export default defineAppConfig({
  pages: ['pages/index/index', 'pages/home/index'],
  subPackages: [
    { root: 'enroll', pages: ['pages/real-name/index', 'pages/real-person/index'] },
    { root: 'card', pages: ['pages/mine/index', 'pages/bright/index'] },
    { root: 'usage', pages: ['pages/list/index', 'pages/detail/index'] },
    { root: 'account', pages: ['pages/manage/index', 'pages/privacy/index', 'pages/passcode/index'] },
    { root: 'staff', pages: ['pages/verify/index', 'pages/window/index', 'pages/window-call/index'] },
    { root: 'check', pages: ['pages/verify/index'] },
    { root: 'licences', pages: ['pages/wallet/index', 'pages/link/index', 'pages/detail/index'] },
    { root: 'calls', pages: ['pages/scan/index', 'pages/approve/index', 'pages/receipt/index'] },
    { root: 'consent', pages: ['pages/open/index', 'pages/parties/index'] },
    { root: 'signin', pages: ['pages/approve/index'] },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1f4e8c',
    navigationBarTitleText: '电子居民身份证',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f3f5f9',
  },
});
